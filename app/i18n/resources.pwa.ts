/**
 * Page titles, the app's own dialogs and the installed app (issue 18); en mirrors zh key for key.
 * Titles are read by app/i18n/page-title.ts; "·" joins them to the plan's title and the app name.
 */
export const pageTitlesZh = {
  app: "活动策划台",
  plan: "活动方案",
  login: "登录",
  dashboard: "概览",
  plans: "计划",
  planNew: "新建方案",
  planActuals: "实际对比",
  planHistory: "历史版本",
  planVersion: "历史版本",
  planSaveTemplate: "另存为模板",
  approvals: "审批中心",
  approvalReview: "审批",
  calendar: "日历",
  finance: "财务中心",
  notifications: "通知",
  notificationSettings: "通知设置",
  tasks: "今日任务",
  adminMembers: "成员 · 管理",
  adminMemberNew: "新建成员 · 管理",
  adminMemberEdit: "编辑成员 · 管理",
  adminAuthority: "审批权限 · 管理",
  adminTemplates: "模板 · 管理",
  adminHolidays: "节假日 · 管理",
  adminNotifications: "消息推送 · 管理",
  adminAudit: "审计日志 · 管理",
  notFound: "页面不存在",
  noAccess: "无访问权限",
};

export const pageTitlesEn: typeof pageTitlesZh = {
  app: "CampaignDesk",
  plan: "Plan",
  login: "Sign in",
  dashboard: "Overview",
  plans: "Plans",
  planNew: "New plan",
  planActuals: "Actuals",
  planHistory: "Version history",
  planVersion: "Saved version",
  planSaveTemplate: "Save as template",
  approvals: "Approval center",
  approvalReview: "Approval",
  calendar: "Calendar",
  finance: "Finance center",
  notifications: "Notifications",
  notificationSettings: "Notification settings",
  tasks: "Today's tasks",
  adminMembers: "Members · Admin",
  adminMemberNew: "New member · Admin",
  adminMemberEdit: "Edit member · Admin",
  adminAuthority: "Approval authority · Admin",
  adminTemplates: "Templates · Admin",
  adminHolidays: "Holidays · Admin",
  adminNotifications: "Outbound messages · Admin",
  adminAudit: "Audit log · Admin",
  notFound: "Page not found",
  noAccess: "No access",
};

/** Names for the regions a keyboard can scroll (the plan's wide block tables). */
export const a11yZh = {
  blockTable: { timeline: "活动排期表（可左右滚动）", roles: "人员分工表（可左右滚动）", kpis: "KPI 指标表（可左右滚动）" },
};

export const a11yEn: typeof a11yZh = {
  blockTable: { timeline: "Schedule table (scrolls sideways)", roles: "Roles table (scrolls sideways)", kpis: "KPI table (scrolls sideways)" },
};

export const dialogsZh = {
  cancel: "取消",
  confirmTitle: "请确认",
  required: "{{label}}不能为空。",
};

export const dialogsEn: typeof dialogsZh = {
  cancel: "Cancel",
  confirmTitle: "Please confirm",
  required: "{{label}} cannot be empty.",
};
