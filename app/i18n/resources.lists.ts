/** Lists and admin pages at every width (issue 18); en mirrors zh key for key. */
export const listsZh = {
  agenda: {
    label: "{{title}}的方案与节日",
    plans: "本月方案",
    days: "节假日与节日",
    noPlans: "本月没有方案。",
    noDays: "本月没有节假日或传统节日。",
    span: "{{start}} – {{end}}",
    day: "{{month}} 月 {{day}} 日（周{{weekday}}）",
  },
};

export const listsEn: typeof listsZh = {
  agenda: {
    label: "Plans and festivals in {{title}}",
    plans: "Plans this month",
    days: "Holidays and festivals",
    noPlans: "No plans this month.",
    noDays: "No holidays or festivals this month.",
    span: "{{start}} – {{end}}",
    day: "{{weekday}} {{month}}/{{day}}",
  },
};
