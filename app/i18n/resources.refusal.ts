/** What a member is told when the server reverted part of their edit and kept the rest. */
export const refusalZh = {
  budgetLocked: "预算已提交审批，你对预算的修改未保存；其他修改已保存。",
  other: "服务器拒绝了你的一项修改（{{reason}}），其他修改已保存。",
  dismiss: "知道了",
};

export const refusalEn: typeof refusalZh = {
  budgetLocked: "The budget has been submitted for approval, so your budget change was not saved; your other changes were.",
  other: "The server refused one of your changes ({{reason}}); your other changes were saved.",
  dismiss: "Got it",
};
