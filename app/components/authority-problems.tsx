import { useTranslation } from "react-i18next";
import type { FieldProblem, FieldProblems } from "~/domain/authority-form";
import { fen } from "~/domain/money";
import { useMoney } from "./money";

/** A problem's message, its amounts as money and its title by name. */
export function useProblemText() {
  const { t } = useTranslation();
  const money = useMoney();
  return (problem: FieldProblem) => {
    const params = Object.fromEntries(
      Object.entries(problem.params).map(([key, value]) => {
        if (key.endsWith("Fen") && typeof value === "number") return [key, money(fen(value))];
        if (key === "title") return [key, t(`title.${value}`)];
        return [key, value];
      }),
    );
    return t(`authority.problem.${problem.code}`, params);
  };
}

export function Problems({ field, problems }: { field: string; problems: FieldProblems }) {
  const text = useProblemText();
  const list = problems[field];
  if (!list?.length) return null;
  return (
    <span className="field-error" id={`${field}-error`}>
      {list.map((problem, i) => (
        <span key={i} className="authority-problem">
          {text(problem)}
        </span>
      ))}
    </span>
  );
}

/** aria-invalid and aria-describedby for an input that may have problems. */
export function invalidProps(field: string, problems: FieldProblems) {
  return problems[field]?.length ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {};
}
