import { memo } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fenOrNull, type Fen } from "~/domain/money";

export interface MoneyBars {
  label: string;
  budgetFen: Fen;
  approvedFen: Fen;
  actualFen: Fen;
}

/**
 * Budget, approved and actual side by side per row (a plan or a category), as horizontal
 * bars so long plan titles stay readable. Plotted in fen, formatted as ¥ only in labels.
 * Browser only (recharts measures the DOM): render it inside ClientOnly.
 */
function DashboardChart({ rows, money: formatFen }: { rows: readonly MoneyBars[]; money: (amount: Fen) => string }) {
  const { t } = useTranslation();
  const money = (value: unknown) => {
    const amount = fenOrNull(value);
    return amount === null ? "" : formatFen(amount);
  };
  const tick = (value: unknown) => money(value).replace(/\.00$/, "");
  return (
    <ResponsiveContainer width="100%" height={64 + rows.length * 44}>
      <BarChart data={[...rows]} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 4 }} barCategoryGap="20%">
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={tick} allowDecimals={false} tick={{ fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={LABEL_WIDTH} interval={0} tick={WrappedLabel} />
        <Tooltip formatter={(value) => money(value)} />
        <Legend itemSorter={null} />
        <Bar dataKey="budgetFen" name={t("dashboard.money.budget")} fill="#9aa5b1" isAnimationActive={false} />
        <Bar dataKey="approvedFen" name={t("dashboard.money.approved")} fill="#d9a441" isAnimationActive={false} />
        <Bar dataKey="actualFen" name={t("dashboard.money.actual")} fill="#c8102e" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Plan names wrap onto two lines of the axis; a longer one ends in "…" and shows whole in the tooltip. */
const LABEL_WIDTH = 112;
const LINE_CHARS = 8;

function labelLines(label: string): string[] {
  const chars = [...label];
  if (chars.length <= LINE_CHARS) return [label];
  const second = chars.slice(LINE_CHARS);
  return [chars.slice(0, LINE_CHARS).join(""), second.length > LINE_CHARS ? `${second.slice(0, LINE_CHARS - 1).join("")}…` : second.join("")];
}

function WrappedLabel(props: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) {
  const value = props.payload?.value;
  const label = typeof value === "string" ? value : "";
  const lines = labelLines(label);
  const x = Number(props.x ?? 0);
  const y = Number(props.y ?? 0) - ((lines.length - 1) * 14) / 2;
  return (
    <text x={x} y={y} textAnchor="end" fontSize={12} fill="#444" dominantBaseline="middle">
      <title>{label}</title>
      {lines.map((line, index) => (
        <tspan key={index} x={x - 4} dy={index === 0 ? 0 : 14}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

function sameBars(a: readonly MoneyBars[], b: readonly MoneyBars[]): boolean {
  return (
    a.length === b.length &&
    a.every((row, i) => {
      const other = b[i]!;
      return row.label === other.label && row.budgetFen === other.budgetFen && row.approvedFen === other.approvedFen && row.actualFen === other.actualFen;
    })
  );
}

// Recharts lays out and redraws the whole chart on every render, and the page renders again
// after hydration with the same figures (in new arrays): redraw only when a figure changes.
export default memo(DashboardChart, (before, after) => before.money === after.money && sameBars(before.rows, after.rows));
