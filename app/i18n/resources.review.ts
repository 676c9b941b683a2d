/** UI text of the 总结复盘 (review) button; en mirrors zh key for key. The generated document text is Chinese, like the plan. */
export const reviewZh = {
  heading: "总结复盘",
  generate: "生成复盘",
  generating: "正在生成…",
  generated: "已生成复盘：「总结复盘（数据）」已更新。",
  generatedWithNotes: "已生成复盘：新增「总结复盘（数据）」和「总结复盘」章节。",
  hint: "根据 KPI 实际值和实际支出生成；重新生成只替换「总结复盘（数据）」，不改动团队撰写的「总结复盘」。",
  error: {
    forbidden: "只有方案的编辑者或财务可以生成复盘。",
    documentUnavailable: "方案文档暂时无法打开，复盘未生成，请稍后再试。",
    generic: "生成复盘失败，请稍后再试。",
  },
};

export const reviewEn: typeof reviewZh = {
  heading: "Post-campaign review",
  generate: "Generate review",
  generating: "Generating…",
  generated: "Review generated: “总结复盘（数据）” was updated.",
  generatedWithNotes: "Review generated: added the “总结复盘（数据）” and “总结复盘” sections.",
  hint: "Built from the KPI results and actual spend; regenerating replaces only “总结复盘（数据）”, never the team's “总结复盘”.",
  error: {
    forbidden: "Only the plan's editors or finance can generate the review.",
    documentUnavailable: "The plan document cannot be opened right now; the review was not generated. Please try again later.",
    generic: "Generating the review failed. Please try again later.",
  },
};
