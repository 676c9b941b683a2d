import { useParams, useRevalidator } from "@remix-run/react";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMentionable } from "~/components/mention-input";
import { CSRF_HEADER } from "~/domain/csrf";
import type { Mentionable } from "~/domain/member-search";
import { useRootData } from "~/root";
import type { MentionSource } from "./mention-extension";

const PLAN_ROUTE_ID = "routes/_app.plans.$planId";

function post(url: string, csrfToken: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", [CSRF_HEADER]: csrfToken },
    body: new URLSearchParams(fields),
    credentials: "same-origin",
  });
}

/**
 * What the section editor's @ picker reads: the plan's members, sharing through the plan's
 * setMember action, and the notification request after a mention is inserted. Stable for
 * the editor's life (it reads the latest values through a ref), so the editor is not rebuilt
 * when the member list reloads. The plan is the route's; outside a plan route there is no picker.
 */
export function useMentionSource(sectionId: string): { source: MentionSource | null; notice: string | null } {
  const planId = useParams().planId ?? null;
  const { t } = useTranslation();
  const { directory } = useMentionable(planId);
  const { csrfToken } = useRootData();
  const revalidator = useRevalidator();
  const [notice, setNotice] = useState<string | null>(null);
  const keepNotice = useRef(false);
  const latest = useRef({ directory, csrfToken, revalidator, t });
  latest.current = { directory, csrfToken, revalidator, t };

  const source = useMemo<MentionSource | null>(() => {
    if (planId === null) return null;
    const planPath = `/plans/${encodeURIComponent(planId)}`;
    return {
      members: () => latest.current.directory?.members ?? [],
      canShare: () => latest.current.directory?.canShare ?? false,
      share: async (member: Mentionable) => {
        // `_data` names the plan page's route so Remix answers with its action's JSON, as a fetcher would.
        const url = `${planPath}?_data=${encodeURIComponent(PLAN_ROUTE_ID)}`;
        const response = await post(url, latest.current.csrfToken, { intent: "setMember", userId: String(member.id), access: "view" }).catch(() => null);
        const body = (await response?.json().catch(() => null)) as { error?: unknown } | null;
        const shared = response?.ok === true && body?.error === null;
        setNotice(shared ? latest.current.t("mentions.shared", { name: member.name }) : latest.current.t("mentions.shareFailed"));
        keepNotice.current = shared;
        // The plan page's member list and the picker's readable flags both change.
        if (shared) void latest.current.revalidator.revalidate();
        return shared;
      },
      inserted: ({ memberId, key }) => {
        // The mention that follows a share keeps the share's confirmation on screen.
        if (keepNotice.current) keepNotice.current = false;
        else setNotice(null);
        void post(`${planPath}/mentions`, latest.current.csrfToken, { sectionId, mentionKey: key, memberId: String(memberId) })
          .then((response) => response.ok)
          .catch(() => false)
          .then((sent) => {
            if (!sent) setNotice(latest.current.t("mentions.notifyFailed"));
          });
      },
      labels: () => {
        const tr = latest.current.t;
        return { picker: tr("mentions.pickerLabel"), empty: tr("mentions.empty"), noAccess: tr("mentions.noAccess"), share: tr("mentions.share"), askOwner: tr("mentions.askOwner") };
      },
    };
  }, [planId, sectionId]);

  return { source, notice };
}
