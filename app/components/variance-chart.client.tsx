import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fenOrNull, type Fen } from "~/domain/money";
import { useMoney } from "./money";

export interface CategoryBars {
  category: string;
  budgetFen: Fen;
  actualFen: Fen;
}

/**
 * Budget against actual spend per category. The bars are plotted in fen, so no amount is
 * ever turned into a float; only the labels format fen as ¥. Browser only (recharts
 * measures the DOM): render it inside ClientOnly.
 */
export default function VarianceChart({ categories }: { categories: readonly CategoryBars[] }) {
  const { t } = useTranslation();
  const formatFen = useMoney();
  const money = (value: unknown) => {
    const amount = fenOrNull(value);
    return amount === null ? "" : formatFen(amount);
  };
  // Axis ticks are round amounts: ¥20,000 reads better than ¥20,000.00.
  const tick = (value: unknown) => money(value).replace(/\.00$/, "");
  // Nothing to draw: an axis of ¥0.00–¥0.01 would suggest figures that are not there.
  if (categories.every((category) => category.budgetFen === 0 && category.actualFen === 0)) {
    return (
      <p className="muted chart-empty" data-chart-empty>
        {t("polish.chart.empty")}
      </p>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={320}>
      <BarChart data={[...categories]} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="category" interval={0} tick={{ fontSize: 12 }} />
        <YAxis tickFormatter={tick} allowDecimals={false} width={96} tick={{ fontSize: 12 }} />
        <Tooltip formatter={(value) => money(value)} />
        {/* Budget first, as in the table; recharts sorts legend items by name unless told not to. */}
        <Legend itemSorter={null} />
        <Bar dataKey="budgetFen" name={t("actuals.chart.budget")} fill="#9aa5b1" isAnimationActive={false} />
        <Bar dataKey="actualFen" name={t("actuals.chart.actual")} fill="#c8102e" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
