/** UI text of cell presence, same-cell conflicts and edits kept from a budget lock; en mirrors zh key for key. */
export const presenceZh = {
  someone: "一位协作者",
  conflict: "{{name}} 刚把这一格改成了 {{value}}",
  empty: "（空）",
  useMine: "用我的值覆盖",
  keepTheirs: "保留对方的值",
  unsaved: "预算已提交审批，你的修改未保存：",
  copy: "复制",
  copied: "已复制",
  dismiss: "关闭",
};

export const presenceEn: typeof presenceZh = {
  someone: "A collaborator",
  conflict: "{{name}} just changed this cell to {{value}}",
  empty: "(empty)",
  useMine: "Overwrite with mine",
  keepTheirs: "Keep theirs",
  unsaved: "The budget was submitted for approval; your change was not saved: ",
  copy: "Copy",
  copied: "Copied",
  dismiss: "Dismiss",
};
