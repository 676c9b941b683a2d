/** The planner's and finance's pages after the issue-18 polish pass; en mirrors zh key for key. */
export const polishZh = {
  mine: {
    heading: "我的方案 / 最近编辑",
    intro: "你负责或最近编辑过的方案，不受下方时间段筛选影响。",
    empty: "你还没有负责或编辑过的方案。",
    owner: "我负责",
    edited: "最近编辑",
    editedAt: "{{date}} 编辑",
    dates: "{{start}} – {{end}}",
  },
  chart: {
    empty: "该时间段内没有可绘制的金额。",
    kpiLegend: "达成率图例：",
    kpiMet: "达到目标",
    kpiBelow: "未达目标",
    kpiFar: "不足目标一半",
  },
  finance: {
    defaultPeriod: "默认显示上月初到一年后月底的方案：待审批、将要执行和刚结束待记实际支出的方案都在内。",
    resetPeriod: "恢复默认时间段",
    tableLabel: "活动组合明细",
  },
  templates: {
    storeHint: "模板里的「xx月xx日」「xx大酒店」等空白，创建时按活动日期和这里的门店名填好；其余空白留给你补充。",
  },
  dashboard: {
    kpiTableLabel: "考核指标达成明细",
    moneyTableLabel: "金额明细",
  },
};

export const polishEn: typeof polishZh = {
  mine: {
    heading: "My plans / recently edited",
    intro: "Plans you own or edited recently, whatever the period below.",
    empty: "You do not own and have not edited any plan yet.",
    owner: "Mine",
    edited: "Edited",
    editedAt: "Edited {{date}}",
    dates: "{{start}} – {{end}}",
  },
  chart: {
    empty: "No amounts to chart for this period.",
    kpiLegend: "Completion key:",
    kpiMet: "Target met",
    kpiBelow: "Below target",
    kpiFar: "Under half the target",
  },
  finance: {
    defaultPeriod: "Shows plans from the start of last month to the end of the month a year ahead by default: plans awaiting approval, about to run, or just run and awaiting actual spend.",
    resetPeriod: "Back to the default period",
    tableLabel: "Portfolio details",
  },
  templates: {
    storeHint: "Blanks in the template such as “xx月xx日” and “xx大酒店” are filled from the campaign's dates and this store when the plan is created; other blanks are left for you.",
  },
  dashboard: {
    kpiTableLabel: "KPI completion details",
    moneyTableLabel: "Amount details",
  },
};
