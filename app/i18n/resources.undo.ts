/** Undo and redo of a member's own changes (text and structured blocks); en mirrors zh key for key. */
export const undoZh = {
  undo: "撤销",
  redo: "重做",
  group: "撤销与重做",
  withShortcut: "{{label}}（{{shortcut}}）",
  budgetLocked: "预算已提交审批或已批准，不能撤销或重做预算的修改",
};

export const undoEn: typeof undoZh = {
  undo: "Undo",
  redo: "Redo",
  group: "Undo and redo",
  withShortcut: "{{label}} ({{shortcut}})",
  budgetLocked: "The budget is in review or approved: its changes cannot be undone or redone",
};
