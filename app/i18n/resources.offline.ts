/** Offline copies: the connection badge while local changes wait for the server. */
export const offlineZh = {
  pending_other: "{{status}} · {{count}} 处修改待同步",
};

export const offlineEn = {
  pending_one: "{{status}} · {{count}} change waiting to sync",
  pending_other: "{{status}} · {{count}} changes waiting to sync",
};
