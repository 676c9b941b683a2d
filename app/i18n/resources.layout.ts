/** The responsive shell and layout helpers (issue 18); en mirrors zh key for key. */
export const layoutZh = {
  scrollHint: "左右滑动查看更多列",
  menu: "菜单",
  menuWaiting: "菜单，{{count}} 项待你审批",
  account: "账户",
  more: "更多",
  moreActions: "更多操作",
  outline: "目录",
  budgetReadOnlyPhone: "手机上只能查看预算，请在平板或电脑上编辑预算。",
};

export const layoutEn: typeof layoutZh = {
  scrollHint: "Swipe sideways to see more columns",
  menu: "Menu",
  menuWaiting: "Menu, {{count}} waiting for your approval",
  account: "Account",
  more: "More",
  moreActions: "More actions",
  outline: "Contents",
  budgetReadOnlyPhone: "The budget is read-only on a phone; edit it on a tablet or a computer.",
};
