/** The review page designed for a phone (issue 18): summary, totals, the decision bar and sheet, the outcome; en mirrors zh key for key. */
export const approvalReviewZh = {
  summary: {
    heading: "方案概要",
    type: "活动类型",
    store: "门店 / 网点",
    dates: "活动时间",
    owner: "负责人",
    submitted: "提交",
    submittedValue: "{{name}} · {{time}}",
    revision: "预算版本",
    revisionValue: "版本 {{number}}",
  },
  totals: {
    heading: "预算合计",
    spend: "支出",
    income: "收入",
    net: "净支出",
    versus: "较版本 {{number}}",
    unchanged: "较版本 {{number}} 无变化",
    first: "首次提交，没有已批准的版本可比",
  },
  comments: {
    heading: "评论",
    hint: "方案和变动行上的评论都在评论面板里，可以直接回复。",
    readOnly: "你不能阅读此方案，看不到它的评论。",
  },
  diff: {
    cardLabel: "变动明细",
  },
  bar: {
    label: "审批操作",
  },
  sheet: {
    title: {
      approve: "确认通过",
      requestChanges: "退回修改",
      reject: "驳回预算",
    },
    commentRequired: "意见（必填）",
    commentOptional: "意见（选填）",
    placeholder: {
      approve: "可以写下给提交人的意见",
      requestChanges: "请写明需要修改的内容",
      reject: "请写明驳回的原因",
    },
    confirm: "确认",
    cancel: "取消",
  },
  outcome: {
    heading: "你的审批结果",
    decided: "你已{{decision}}（{{steps}}）· {{time}}",
    comment: "意见：{{comment}}",
    next: {
      nextStep: "下一步：等待{{title}}{{steps}}。",
      approved: "预算已批准并锁定，提交人已收到通知。",
      returned: "预算已退回提交人修改；重新提交后会进入新一轮审批。",
      rejected: "这一版预算已关闭，提交人已收到通知。",
      closed: "此预算版本已结束审批。",
    },
    back: "返回审批中心",
  },
};

export const approvalReviewEn: typeof approvalReviewZh = {
  summary: {
    heading: "Plan summary",
    type: "Campaign type",
    store: "Store / branch",
    dates: "Dates",
    owner: "Owner",
    submitted: "Submitted",
    submittedValue: "{{name}} · {{time}}",
    revision: "Budget revision",
    revisionValue: "Revision {{number}}",
  },
  totals: {
    heading: "Budget totals",
    spend: "Spend",
    income: "Income",
    net: "Net spend",
    versus: "vs revision {{number}}",
    unchanged: "Unchanged since revision {{number}}",
    first: "First submission: no approved revision to compare with",
  },
  comments: {
    heading: "Comments",
    hint: "Comments on the plan and on changed lines are in the comments panel, where you can reply.",
    readOnly: "You cannot read this plan, so its comments are hidden from you.",
  },
  diff: {
    cardLabel: "Changed lines",
  },
  bar: {
    label: "Approval actions",
  },
  sheet: {
    title: {
      approve: "Approve this budget",
      requestChanges: "Request changes",
      reject: "Reject this budget",
    },
    commentRequired: "Comment (required)",
    commentOptional: "Comment (optional)",
    placeholder: {
      approve: "Anything the submitter should know",
      requestChanges: "Say what needs to change",
      reject: "Say why the budget is rejected",
    },
    confirm: "Confirm",
    cancel: "Cancel",
  },
  outcome: {
    heading: "Your decision",
    decided: "You chose “{{decision}}” ({{steps}}) · {{time}}",
    comment: "Comment: {{comment}}",
    next: {
      nextStep: "Next: {{title}} ({{steps}}).",
      approved: "The budget is approved and locked; the submitter has been notified.",
      returned: "The budget went back to the submitter; once resubmitted it goes through approval again.",
      rejected: "This revision is closed; the submitter has been notified.",
      closed: "This revision's review has ended.",
    },
    back: "Back to approvals",
  },
};
