/** UI text of 驳回 vs 退回修改: the plan page's pinned banner and the review page's reopen reason and field changes; en mirrors zh key for key. */
export const reviewOutcomeZh = {
  banner: {
    changesRequested: "{{name}} 退回修改：{{comment}}",
    changesRequestedHint: "请按意见修改预算后重新提交审批。",
    rejected: "已驳回",
    rejectedBy: "{{name}} 驳回了预算版本 {{number}}：{{comment}}",
    rejectedHint: "这一版预算已关闭。如需继续，请调整方案后重新提交审批。",
    noComment: "（未填写意见）",
    revisionLink: "查看预算版本 {{number}} 的审批",
  },
  reopen: {
    heading: "重新打开原因",
    by: "{{name}} 于 {{time}} 重新打开了已批准的预算版本 {{number}}",
  },
  fields: {
    heading: "变更内容",
    category: "费用类别",
    item: "项目",
    quantityHundredths: "数量",
    unit: "单位",
    unitPriceFen: "单价",
    income: "收入标记",
    owner: "负责人",
    quarter: "季度",
    note: "备注",
    incomeYes: "收入",
    incomeNo: "支出",
    empty: "（空）",
    separator: "：",
  },
};

export const reviewOutcomeEn: typeof reviewOutcomeZh = {
  banner: {
    changesRequested: "{{name}} requested changes: {{comment}}",
    changesRequestedHint: "Revise the budget as asked and submit it again.",
    rejected: "Rejected",
    rejectedBy: "{{name}} rejected budget revision {{number}}: {{comment}}",
    rejectedHint: "This revision is closed. To go on, rework the plan and submit it again.",
    noComment: "(no comment)",
    revisionLink: "View the review of budget revision {{number}}",
  },
  reopen: {
    heading: "Why it was reopened",
    by: "{{name}} reopened approved budget revision {{number}} on {{time}}",
  },
  fields: {
    heading: "Changes",
    category: "Category",
    item: "Item",
    quantityHundredths: "Quantity",
    unit: "Unit",
    unitPriceFen: "Unit price",
    income: "Income",
    owner: "Owner",
    quarter: "Quarter",
    note: "Note",
    incomeYes: "Income",
    incomeNo: "Spend",
    empty: "(empty)",
    separator: ": ",
  },
};
