import { useTranslation } from "react-i18next";
import { useConfirm } from "~/components/dialogs";
import { CommentButton } from "~/components/comments/comment-button";
import type * as Y from "yjs";
import { KPI_DIRECTIONS, parseTargetCell, parseTextCell, removeRow, ROOT, TEXT_LIMITS, updateRow, type Kpi } from "~/domain/plan-document";
import type { BlockProps } from "./block-props";
import { moveRowBy, RowActions, SelectCell, TextCell, useCellMessage, type CommitResult } from "./editable-cell.client";
import { RowTable } from "./row-table.client";
import { useBlockRows } from "./use-block-rows";

const COLUMNS = ["name", "unit", "target", "direction", "notes"] as const;
type Column = (typeof COLUMNS)[number];

/** The KPI (考核指标) block: what the campaign is judged by, and the target for each. */
export default function KpisBlock({ doc, editable, today }: BlockProps) {
  const { rows, invalid } = useBlockRows(doc, ROOT.kpis);
  return (
    <div className="block block-kpis">
      <RowTable doc={doc} root={ROOT.kpis} columns={COLUMNS} textKey="timeline.kpis" editable={editable} today={today} rowIds={rows.map((row) => row.id)} focusColumn="name" invalidCount={invalid.length}>
        {rows.map((row, index) => (
          <KpiRow key={row.id} doc={doc} row={row} rows={rows} index={index} editable={editable} />
        ))}
      </RowTable>
    </div>
  );
}

interface RowProps {
  doc: Y.Doc;
  row: Kpi;
  rows: readonly Kpi[];
  index: number;
  editable: boolean;
}

function KpiRow({ doc, row, rows, index, editable }: RowProps) {
  const { t } = useTranslation();
  const message = useCellMessage();
  const number = index + 1;
  const label = (column: Column) => t("timeline.cellLabel", { column: t(`timeline.kpis.columns.${column}`), row: number });
  const tbd = <span className="badge tbd">{t("timeline.kpis.tbd")}</span>;

  const write = (patch: Partial<Omit<Kpi, "id">>): CommitResult => (updateRow(doc, ROOT.kpis, row.id, patch) ? null : message("rowGone"));
  const writeText = (column: keyof typeof TEXT_LIMITS.kpis, text: string): CommitResult => {
    const parsed = parseTextCell(text, TEXT_LIMITS.kpis[column]);
    return parsed.ok ? write({ [column]: parsed.value }) : message(parsed.code, { max: TEXT_LIMITS.kpis[column] });
  };
  const writeTarget = (text: string): CommitResult => {
    const parsed = parseTargetCell(text);
    return parsed.ok ? write({ target: parsed.value }) : message(parsed.code);
  };
  const [confirm, confirmDialog] = useConfirm();
  const remove = async () => {
    if (await confirm({ message: t("timeline.kpis.removeConfirm", { name: row.name || t("timeline.kpis.unnamed") }), confirmLabel: t("timeline.remove"), danger: true })) removeRow(doc, ROOT.kpis, row.id);
  };

  if (!editable) {
    return (
      <tr data-row-id={row.id}>
        <td className="col-index">
          {number}
          <CommentButton anchor={{ kind: "kpi", kpiId: row.id }} name={row.name || t("timeline.kpis.unnamed")} />
        </td>
        <td data-field="name">{row.name}</td>
        <td data-field="unit">{row.unit}</td>
        <td data-field="target" className="num">
          {row.target ?? tbd}
        </td>
        <td data-field="direction">
          <span className={`direction direction-${row.direction}`}>{t(`timeline.kpis.direction.${row.direction}`)}</span>
        </td>
        <td data-field="notes" className="multiline">
          {row.notes}
        </td>
      </tr>
    );
  }
  return (
    <tr data-row-id={row.id}>
      <td className="col-index">
        {number}
        <CommentButton anchor={{ kind: "kpi", kpiId: row.id }} name={row.name || t("timeline.kpis.unnamed")} />
      </td>
      <td data-field="name">
        <TextCell value={row.name} label={label("name")} placeholder={t("timeline.kpis.unnamed")} onCommit={(text) => writeText("name", text)} />
      </td>
      <td data-field="unit">
        <TextCell value={row.unit} label={label("unit")} onCommit={(text) => writeText("unit", text)} />
      </td>
      <td data-field="target">
        <TextCell
          value={row.target ?? ""}
          label={label("target")}
          className="num"
          onCommit={writeTarget}
          adornment={row.target === null ? tbd : null}
        />
      </td>
      <td data-field="direction">
        <SelectCell
          value={row.direction}
          label={label("direction")}
          options={KPI_DIRECTIONS.map((direction) => ({ value: direction, label: t(`timeline.kpis.direction.${direction}`) }))}
          onCommit={(direction) => write({ direction })}
        />
      </td>
      <td data-field="notes">
        <TextCell multiline value={row.notes} label={label("notes")} onCommit={(text) => writeText("notes", text)} />
      </td>
      <td className="col-actions">
        <RowActions row={number} index={index} count={rows.length} onMove={(delta) => moveRowBy(doc, ROOT.kpis, rows, index, delta)} onRemove={() => void remove()} />
        {confirmDialog}
      </td>
    </tr>
  );
}
