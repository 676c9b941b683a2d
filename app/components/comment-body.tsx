import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

const TOKEN = /<@(\d{1,12})>/g;

/**
 * A stored comment body as React nodes: plain text, with each `<@id>` token as an "@名字"
 * chip. Text stays text (React escapes it), so a body can never inject markup; a member
 * who no longer exists reads as `deletedLabel`.
 */
export function renderCommentBody(body: string, members: readonly { id: number; name: string }[], deletedLabel = "已删除成员"): ReactNode[] {
  const names = new Map(members.map((m) => [m.id, m.name]));
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of body.matchAll(TOKEN)) {
    const index = match.index;
    if (index > last) nodes.push(body.slice(last, index));
    const id = Number(match[1]);
    const name = names.get(id);
    nodes.push(
      <span key={`m${index}`} className={`mention${name === undefined ? " mention--deleted" : ""}`} data-member-id={name === undefined ? undefined : id}>
        @{name ?? deletedLabel}
      </span>,
    );
    last = index + match[0].length;
  }
  if (last < body.length) nodes.push(body.slice(last));
  return nodes;
}

export function CommentBody({ body, members }: { body: string; members: readonly { id: number; name: string }[] }): JSX.Element {
  const { t } = useTranslation();
  return <span className="comment-body">{renderCommentBody(body, members, t("mentions.deleted"))}</span>;
}
