/** UI text of the plan workbook export; en mirrors zh key for key (checked by its type). */
export const exportZh = {
  draft: "导出 Excel（当前草稿）",
  approved: "导出 Excel（已批准版本）",
  error: {
    noApprovedRevision: "该方案还没有已批准的预算版本，只能导出当前草稿。",
    invalidRevision: "请选择导出当前草稿（draft）或已批准版本（approved）。",
  },
};

export const exportEn = {
  draft: "Export to Excel (current draft)",
  approved: "Export to Excel (approved revision)",
  error: {
    noApprovedRevision: "This plan has no approved budget revision yet; only the current draft can be exported.",
    invalidRevision: "Choose the current draft (draft) or the approved revision (approved) to export.",
  },
};
