import { useEffect, useState } from "react";
import type * as Y from "yjs";
import type { Awareness } from "y-protocols/awareness";
import { readPlanDoc, sectionsArray, type Section } from "~/domain/plan-document";
import { PlanSession, type PlanSessionState } from "./plan-session";

/**
 * One live session per mounted plan page; a new `doc` after a resync re-renders the editors.
 * `memberId` names the plan's offline copy in this browser.
 */
export function usePlanSession(planId: string, memberId: number | undefined): PlanSessionState | null {
  const [state, setState] = useState<PlanSessionState | null>(null);
  useEffect(() => {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const session = new PlanSession({ serverUrl: `${scheme}//${window.location.host}/collab`, planId, memberId });
    setState(session.state);
    const unsubscribe = session.subscribe(setState);
    return () => {
      unsubscribe();
      session.destroy();
    };
  }, [planId, memberId]);
  return state;
}

/** The live section list of a document. */
export function useSections(doc: Y.Doc | undefined, initial: Section[]): Section[] {
  const [sections, setSections] = useState(initial);
  useEffect(() => {
    if (!doc) return;
    const array = sectionsArray(doc);
    const update = () => setSections(readPlanDoc(doc).sections);
    array.observeDeep(update);
    update();
    return () => array.unobserveDeep(update);
  }, [doc]);
  return sections;
}

export interface Peer {
  clientId: number;
  name: string;
  color: string;
}

/** Everyone else with the plan open, from awareness (names and colours set by the server). */
export function usePeers(awareness: Awareness | undefined): Peer[] {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const list: Peer[] = [];
      const seen = new Set<string>();
      awareness.getStates().forEach((state, clientId) => {
        const user = (state as { user?: { id?: number; name?: string; color?: string } }).user;
        if (clientId === awareness.clientID || !user?.name) return;
        const key = String(user.id ?? user.name);
        if (seen.has(key)) return;
        seen.add(key);
        list.push({ clientId, name: user.name, color: user.color ?? "#888" });
      });
      setPeers(list);
    };
    awareness.on("change", update);
    update();
    return () => awareness.off("change", update);
  }, [awareness]);
  return peers;
}
