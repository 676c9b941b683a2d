import { useTranslation } from "react-i18next";
import { APPROVER_TITLES, ROLES, type ApproverTitle, type Role } from "~/domain/roles";
import type { FieldErrors } from "~/lib/forms";
import { SelectField } from "./form-fields";

export function RoleAndTitleFields(props: { errors?: FieldErrors; role?: Role; title?: ApproverTitle | null }) {
  const { t } = useTranslation();
  return (
    <div className="field-row">
      <SelectField
        name="role"
        label={t("admin.role")}
        defaultValue={props.role ?? "planner"}
        errors={props.errors}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
      />
      <SelectField
        name="title"
        label={t("admin.approverTitle")}
        defaultValue={props.title ?? "none"}
        errors={props.errors}
        options={[{ value: "none", label: t("title.none") }, ...APPROVER_TITLES.map((title) => ({ value: title, label: t(`title.${title}`) }))]}
      />
    </div>
  );
}
