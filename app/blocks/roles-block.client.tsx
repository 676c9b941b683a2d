import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useConfirm } from "~/components/dialogs";
import type * as Y from "yjs";
import { parseTextCell, removeRow, ROOT, TEXT_LIMITS, updateRow, type Assignment } from "~/domain/plan-document";
import type { BlockProps, Person } from "./block-props";
import { matchPerson, moveRowBy, PeopleList, personName, RowActions, TextCell, useCellMessage, type CommitResult } from "./editable-cell.client";
import { RowTable } from "./row-table.client";
import { useBlockRows } from "./use-block-rows";

const COLUMNS = ["person", "role", "duties", "contact"] as const;
type Column = (typeof COLUMNS)[number];

/** The roles (人员分工) block: who does what, and how to reach them. */
export default function RolesBlock({ doc, editable, people, today }: BlockProps) {
  const { rows, invalid } = useBlockRows(doc, ROOT.roles);
  const listId = useId();
  return (
    <div className="block block-roles">
      {editable ? <PeopleList id={listId} people={people} /> : null}
      <RowTable doc={doc} root={ROOT.roles} columns={COLUMNS} textKey="timeline.roles" editable={editable} today={today} rowIds={rows.map((row) => row.id)} focusColumn="person" invalidCount={invalid.length}>
        {rows.map((row, index) => (
          <RoleRow key={row.id} doc={doc} row={row} rows={rows} index={index} editable={editable} people={people} listId={listId} />
        ))}
      </RowTable>
    </div>
  );
}

interface RowProps {
  doc: Y.Doc;
  row: Assignment;
  rows: readonly Assignment[];
  index: number;
  editable: boolean;
  people: readonly Person[];
  listId: string;
}

function RoleRow({ doc, row, rows, index, editable, people, listId }: RowProps) {
  const { t } = useTranslation();
  const message = useCellMessage();
  const number = index + 1;
  const label = (column: Column) => t("timeline.cellLabel", { column: t(`timeline.roles.columns.${column}`), row: number });
  const person = personName(people, row.personUserId, row.person);

  const commit = (column: Column, text: string): CommitResult => {
    const parsed = parseTextCell(text, TEXT_LIMITS.roles[column]);
    if (!parsed.ok) return message(parsed.code, { max: TEXT_LIMITS.roles[column] });
    let patch: Partial<Omit<Assignment, "id">>;
    if (column === "person") {
      const match = matchPerson(people, parsed.value);
      patch = { person: match.name, personUserId: match.userId };
    } else {
      patch = { [column]: parsed.value };
    }
    return updateRow(doc, ROOT.roles, row.id, patch) ? null : message("rowGone");
  };
  const [confirm, confirmDialog] = useConfirm();
  const remove = async () => {
    if (await confirm({ message: t("timeline.roles.removeConfirm", { name: person || row.role || t("timeline.roles.unnamed") }), confirmLabel: t("timeline.remove"), danger: true })) removeRow(doc, ROOT.roles, row.id);
  };

  if (!editable) {
    return (
      <tr data-row-id={row.id}>
        <td className="col-index">{number}</td>
        <td data-field="person">{person}</td>
        <td data-field="role">{row.role}</td>
        <td data-field="duties" className="multiline">
          {row.duties}
        </td>
        <td data-field="contact">{row.contact}</td>
      </tr>
    );
  }
  return (
    <tr data-row-id={row.id}>
      <td className="col-index">{number}</td>
      <td data-field="person">
        <TextCell
          value={person}
          label={label("person")}
          list={listId}
          title={t("timeline.peopleHint")}
          className={row.personUserId !== null ? "is-member" : undefined}
          onCommit={(text) => commit("person", text)}
          adornment={row.personUserId !== null ? <span className="member-mark" title={t("timeline.member")} aria-hidden="true" /> : null}
        />
      </td>
      <td data-field="role">
        <TextCell value={row.role} label={label("role")} onCommit={(text) => commit("role", text)} />
      </td>
      <td data-field="duties">
        <TextCell multiline value={row.duties} label={label("duties")} onCommit={(text) => commit("duties", text)} />
      </td>
      <td data-field="contact">
        <TextCell value={row.contact} label={label("contact")} onCommit={(text) => commit("contact", text)} />
      </td>
      <td className="col-actions">
        <RowActions row={number} index={index} count={rows.length} onMove={(delta) => moveRowBy(doc, ROOT.roles, rows, index, delta)} onRemove={() => void remove()} />
        {confirmDialog}
      </td>
    </tr>
  );
}
