import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { BudgetLine } from "~/domain/plan-document";
import { budgetLineAmount, formatQuantityHundredths } from "~/domain/plan-document";
import { fen } from "~/domain/money";
import type { VersionView } from "~/services/history.server";
import { useMoney } from "./money";
import { ScrollTable } from "./scroll-table";

type Blocks = VersionView["blocks"];
export type BlockName = keyof Blocks;
type RowChange = Blocks["budget"][number]["change"];
type Entry<B extends BlockName> = Blocks[B][number];

/** One column: its heading, how a row shows in it, and the row fields whose change marks the cell. */
interface Column<B extends BlockName> {
  key: string;
  heading: string;
  fields: readonly string[];
  render: (row: Entry<B>["row"]) => ReactNode;
  numeric?: boolean;
  /** Free text that wraps; every other column keeps to one line and the table scrolls instead. */
  wide?: boolean;
}

/** A version's rows of one block, each row and changed cell marked in colour and in words. */
function VersionTable<B extends BlockName>({ block, caption, entries, columns }: { block: B; caption: string; entries: Entry<B>[]; columns: Column<B>[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <p className="muted">{t("history.view.noRows")}</p>;
  return (
        // Not pinned: the first column is the row's change badge; the hint still says more columns wait to the right.
        <ScrollTable label={caption} pinFirst={false}>
          <table className="table compact version-table" data-history-block={block} aria-label={caption}>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t("history.view.legend")}</span>
                </th>
                {columns.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? "num" : undefined}>
                    {c.heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={`${entry.change}-${entry.row.id}`} data-row-id={entry.row.id} data-change={entry.change} className={`row-${entry.change}`}>
                  <td className="row-marker">
                    <RowMarker change={entry.change} />
                  </td>
                  {columns.map((c) => {
                    const changed = entry.change === "changed" && c.fields.some((f) => entry.fields.includes(f));
                    return (
                      <td key={c.key} data-field={c.key} data-changed={changed ? "true" : undefined} className={[c.numeric ? "num" : "", c.wide ? "wide" : "", changed ? "cell-changed" : ""].join(" ").trim() || undefined}>
                        {c.render(entry.row)}
                        {changed ? <ChangedCellMarker /> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
  );
}

/** A changed cell's sign, and the word for screen readers: never colour alone. */
export function ChangedCellMarker() {
  const { t } = useTranslation();
  return (
    <>
      <span className="cell-marker" aria-hidden="true">
        {t("history.view.marker.changed")}
      </span>
      <span className="visually-hidden">{t("history.view.cellChanged")}</span>
    </>
  );
}

function RowMarker({ change }: { change: RowChange }) {
  const { t } = useTranslation();
  if (change === "same") return null;
  return (
    <span className={`change-badge change-${change}`}>
      <span aria-hidden="true">{t(`history.view.marker.${change}`)}</span> {t(`history.view.rowMarker.${change}`)}
    </span>
  );
}

/** One structured block of a version (budget, timeline, roles or KPIs), compared with the current document. */
export function VersionBlock({ block, blocks, people }: { block: BlockName; blocks: Blocks; people: Record<string, string> }) {
  const { t } = useTranslation();
  const money = useMoney();
  const person = (userId: number | null, text: string) => (userId !== null ? (people[String(userId)] ?? text) : text);
  const caption = t(`history.blocks.${block}`);
  switch (block) {
    case "budget": {
      const price = (line: BudgetLine) => (line.unitPriceFen === null ? t("budget.tbd") : money(fen(line.unitPriceFen)));
      const amount = (line: BudgetLine) => {
        const value = budgetLineAmount(line);
        return value === null ? t("budget.tbd") : money(value);
      };
      const columns: Column<"budget">[] = [
        { key: "category", heading: t("history.view.category"), fields: ["category"], render: (r) => r.category || t("budget.uncategorized") },
        { key: "item", heading: t("budget.header.item"), fields: ["item"], render: (r) => r.item || t("budget.untitled") },
        { key: "quantity", heading: t("budget.header.quantity"), fields: ["quantityHundredths"], numeric: true, render: (r) => formatQuantityHundredths(r.quantityHundredths) },
        { key: "unit", heading: t("budget.header.unit"), fields: ["unit"], render: (r) => r.unit },
        { key: "unitPrice", heading: t("budget.header.unitPrice"), fields: ["unitPriceFen"], numeric: true, render: price },
        { key: "amount", heading: t("budget.header.amount"), fields: ["quantityHundredths", "unitPriceFen"], numeric: true, render: amount },
        { key: "income", heading: t("budget.header.income"), fields: ["income"], render: (r) => (r.income ? t("history.view.yes") : t("history.view.no")) },
        { key: "owner", heading: t("budget.header.owner"), fields: ["owner"], render: (r) => r.owner },
        { key: "quarter", heading: t("budget.header.quarter"), fields: ["quarter"], render: (r) => r.quarter || t("budget.noQuarter") },
        { key: "note", heading: t("budget.header.note"), fields: ["note"], wide: true, render: (r) => r.note },
      ];
      return <VersionTable block="budget" caption={caption} entries={blocks.budget} columns={columns} />;
    }
    case "timeline": {
      const taskOf = new Map(blocks.timeline.map((e) => [e.row.id, e.row.task]));
      const columns: Column<"timeline">[] = [
        { key: "phase", heading: t("timeline.columns.phase"), fields: ["phase", "phaseLabel"], render: (r) => r.phaseLabel || t(`timeline.phase.${r.phase}`) },
        { key: "task", heading: t("timeline.columns.task"), fields: ["task"], wide: true, render: (r) => r.task || t("timeline.untitled") },
        { key: "start", heading: t("timeline.columns.start"), fields: ["start"], render: (r) => r.start },
        { key: "end", heading: t("timeline.columns.end"), fields: ["end"], render: (r) => r.end },
        { key: "owner", heading: t("timeline.columns.owner"), fields: ["owner", "ownerUserId"], render: (r) => person(r.ownerUserId, r.owner) },
        { key: "status", heading: t("timeline.columns.status"), fields: ["status"], render: (r) => t(`timeline.status.${r.status}`) },
        {
          key: "dependsOn",
          heading: t("timeline.columns.dependsOn"),
          fields: ["dependsOn"],
          render: (r) => (r.dependsOn === "" ? t("timeline.noDependency") : (taskOf.get(r.dependsOn) ?? t("timeline.missingDependency"))),
        },
      ];
      return <VersionTable block="timeline" caption={caption} entries={blocks.timeline} columns={columns} />;
    }
    case "roles": {
      const columns: Column<"roles">[] = [
        { key: "person", heading: t("timeline.roles.columns.person"), fields: ["person", "personUserId"], render: (r) => person(r.personUserId, r.person) || t("timeline.roles.unnamed") },
        { key: "role", heading: t("timeline.roles.columns.role"), fields: ["role"], render: (r) => r.role },
        { key: "duties", heading: t("timeline.roles.columns.duties"), fields: ["duties"], wide: true, render: (r) => r.duties },
        { key: "contact", heading: t("timeline.roles.columns.contact"), fields: ["contact"], render: (r) => r.contact },
      ];
      return <VersionTable block="roles" caption={caption} entries={blocks.roles} columns={columns} />;
    }
    case "kpis": {
      const columns: Column<"kpis">[] = [
        { key: "name", heading: t("timeline.kpis.columns.name"), fields: ["name"], render: (r) => r.name || t("timeline.kpis.unnamed") },
        { key: "unit", heading: t("timeline.kpis.columns.unit"), fields: ["unit"], render: (r) => r.unit },
        { key: "target", heading: t("timeline.kpis.columns.target"), fields: ["target"], numeric: true, render: (r) => r.target ?? t("timeline.kpis.tbd") },
        { key: "direction", heading: t("timeline.kpis.columns.direction"), fields: ["direction"], render: (r) => t(`timeline.kpis.direction.${r.direction}`) },
        { key: "notes", heading: t("timeline.kpis.columns.notes"), fields: ["notes"], wide: true, render: (r) => r.notes },
      ];
      return <VersionTable block="kpis" caption={caption} entries={blocks.kpis} columns={columns} />;
    }
  }
}
