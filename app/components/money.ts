import { useCallback } from "react";
import type { Fen } from "~/domain/money";
import { formatMoney } from "~/i18n/format";
import { useRootData } from "~/root";

/**
 * The one way a view shows money: fen as ¥ in the member's language. The function keeps its
 * identity while the language does, so a memoized child given it redraws only on a change.
 */
export function useMoney(): (amount: Fen) => string {
  const { locale } = useRootData();
  return useCallback((amount: Fen) => formatMoney(amount, locale), [locale]);
}
