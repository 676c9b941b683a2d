import type { Migration } from "kysely";
import * as accounts from "./20261123T0900_accounts";
import * as plans from "./20261123T1000_plans";
import * as projection from "./20261123T1100_projection";
import * as customTemplates from "./20261123T1110_custom_templates";
import * as auditAppendOnly from "./20261123T1200_audit_append_only";
import * as approvals from "./20261123T1210_approvals";
import * as actuals from "./20261123T1300_actuals";
import * as dashboardIndexes from "./20261123T1400_dashboard_indexes";
import * as officialHolidays from "./20261123T1410_official_holidays";
import * as loginFailuresAt from "./20261206T0900_login_failures_at";
import * as appendOnlyReplace from "./20261206T1000_append_only_replace";
import * as planVersions from "./20261207T0900_plan_versions";
import * as notifications from "./20261208T0900_notifications";
import * as comments from "./20261208T1000_comments";
import * as outbound from "./20261208T1100_outbound";
import * as approvalCenter from "./20261208T1200_approval_center";
import * as reviewOutcome from "./20261208T1300_review_outcome";
import * as attachments from "./20261209T0900_attachments";
import * as accessRequested from "./20261209T1100_access_requested";

/** Static index: migrations are bundled with the code, never discovered on disk at run time. */
export const migrations: Record<string, Migration> = {
  "20261123T0900_accounts": accounts,
  "20261123T1000_plans": plans,
  "20261123T1100_projection": projection,
  "20261123T1110_custom_templates": customTemplates,
  "20261123T1200_audit_append_only": auditAppendOnly,
  "20261123T1210_approvals": approvals,
  "20261123T1300_actuals": actuals,
  "20261123T1400_dashboard_indexes": dashboardIndexes,
  "20261123T1410_official_holidays": officialHolidays,
  "20261206T0900_login_failures_at": loginFailuresAt,
  "20261206T1000_append_only_replace": appendOnlyReplace,
  "20261207T0900_plan_versions": planVersions,
  "20261208T0900_notifications": notifications,
  "20261208T1000_comments": comments,
  "20261208T1100_outbound": outbound,
  "20261208T1200_approval_center": approvalCenter,
  "20261208T1300_review_outcome": reviewOutcome,
  "20261209T0900_attachments": attachments,
  "20261209T1100_access_requested": accessRequested,
};
