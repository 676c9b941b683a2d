/** The page a member sees on a link to a plan they may not read, and its 申请访问 button (issue 18). */
export const accessZh = {
  heading: "你没有此方案的访问权限",
  body: "这个方案只对负责人和被加入的协作成员开放。你可以申请访问，方案负责人会收到通知，把你加入后即可查看。",
  request: "申请访问",
  requesting: "正在申请…",
  sent: "已通知方案负责人。对方把你加入后，刷新此页即可查看。",
  alreadySent: "你今天已经申请过，方案负责人已收到通知，请耐心等待。",
  canRead: "你现在已经可以查看此方案了。",
  open: "打开方案",
  failed: "申请没有发出，请稍后重试。",
};

export const accessEn: typeof accessZh = {
  heading: "You do not have access to this plan",
  body: "Only the plan's owner and the members added to it can open it. Ask for access and the owner is notified; once they add you, you can open it.",
  request: "Request access",
  requesting: "Requesting…",
  sent: "The plan's owner has been notified. Reload this page once they have added you.",
  alreadySent: "You already asked today; the owner has been notified. Please wait for them.",
  canRead: "You can open this plan now.",
  open: "Open the plan",
  failed: "The request was not sent. Please try again later.",
};
