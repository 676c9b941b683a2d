import { useFetcher } from "@remix-run/react";
import { useJson } from "~/lib/use-json";
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CSRF_FIELD } from "~/domain/csrf";
import { searchMembers, type Mentionable } from "~/domain/member-search";
import { useRootData } from "~/root";

export { CommentBody, renderCommentBody } from "./comment-body";

/** What `/plans/<id>/mentionable` answers. */
export interface MentionDirectory {
  members: Mentionable[];
  canShare: boolean;
}

const isDirectory = (raw: unknown): raw is MentionDirectory => typeof raw === "object" && raw !== null && Array.isArray((raw as MentionDirectory).members);

/**
 * The plan's mentionable members, loaded once per page and shared by every composer and
 * editor; reloaded after any form on the page is submitted, so a member shared a moment ago
 * turns readable here too.
 */
export function useMentionable(planId: string | null): { directory: MentionDirectory | null; failed: boolean } {
  const { data, failed } = useJson(planId === null ? null : `/plans/${encodeURIComponent(planId)}/mentionable`, isDirectory);
  return { directory: data, failed: failed && data === null };
}

const TOKEN = /<@(\d{1,12})>/g;

/** A mention the user picked: shown as "@label", sent as `<@id>`. */
interface Picked {
  id: number;
  label: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The body the server stores: each picked "@label" still in the text becomes `<@id>`. */
export function serializeMentions(text: string, picked: readonly Picked[]): string {
  const byLabel = new Map(picked.map((p) => [`@${p.label}`, p.id]));
  if (byLabel.size === 0) return text;
  const alternatives = [...byLabel.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return text.replace(new RegExp(alternatives.join("|"), "g"), (label) => `<@${byLabel.get(label) ?? ""}>`);
}

/** A stored body as the user edits it: tokens become "@名字" and are remembered for serializing back. */
export function deserializeMentions(body: string, members: readonly { id: number; name: string }[], deletedLabel: string): { text: string; picked: Picked[] } {
  const picked = new Map<number, Picked>();
  const text = body.replace(TOKEN, (_token, raw: string) => {
    const id = Number(raw);
    const label = picked.get(id)?.label ?? labelFor(id, members) ?? `${deletedLabel}#${id}`;
    picked.set(id, { id, label });
    return `@${label}`;
  });
  return { text, picked: [...picked.values()] };
}

/** The visible label: the name, with the username when another member has the same name (so "@label" stays unambiguous). */
function labelFor(id: number, members: readonly { id: number; name: string; username?: string }[]): string | null {
  const member = members.find((m) => m.id === id);
  if (!member) return null;
  const twin = members.some((m) => m.id !== id && m.name === member.name);
  return twin && member.username ? `${member.name}(${member.username})` : member.name;
}

/**
 * The "@query" being typed at the caret, if any. An "@" right after a Latin letter or digit is
 * an e-mail address, not a mention; after a Chinese character ("请@李娜") it is a mention.
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf("@");
  if (start < 0) return null;
  if (start > 0 && /[A-Za-z0-9._%+-]/.test(before[start - 1] ?? "")) return null;
  const query = before.slice(start + 1);
  if (/\s/.test(query) || Array.from(query).length > 20) return null;
  return { start, query };
}

export interface MentionInputProps {
  /** The form field that carries the body, with `<@id>` tokens. */
  name: string;
  planId: string;
  defaultValue?: string;
  placeholder?: string;
  label: string;
  autoFocus?: boolean;
  /** Ctrl/⌘+Enter; without it the enclosing form is submitted. */
  onSubmitShortcut?: () => void;
}

/**
 * A comment textarea with an @ member picker. The user sees and edits "@李娜"; the form
 * sends `<@id>` in a hidden field, so the stored body does not depend on names.
 */
export function MentionInput({ name, planId, defaultValue = "", placeholder, label, autoFocus, onSubmitShortcut }: MentionInputProps): JSX.Element {
  const { t } = useTranslation();
  const { directory, failed } = useMentionable(planId);
  const members = useMemo(() => directory?.members ?? [], [directory]);
  const deletedLabel = t("mentions.deleted");
  const initial = useMemo(() => deserializeMentions(defaultValue, members, deletedLabel), [defaultValue, members, deletedLabel]);
  const [text, setText] = useState(initial.text);
  const [picked, setPicked] = useState<Picked[]>(initial.picked);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const edited = useRef(false);
  const listId = useId();

  // A body with tokens arrives before the names do: show the names once known, unless the user already typed.
  useEffect(() => {
    if (edited.current) return;
    setText(initial.text);
    setPicked(initial.picked);
  }, [initial]);

  useEffect(() => {
    const form = textareaRef.current?.form;
    if (!form) return;
    const reset = () => {
      edited.current = false;
      setText(initial.text);
      setPicked(initial.picked);
      setDismissedAt(null);
    };
    form.addEventListener("reset", reset);
    return () => form.removeEventListener("reset", reset);
  }, [initial]);

  useLayoutEffect(() => {
    const position = pendingCaret.current;
    const textarea = textareaRef.current;
    if (position === null || !textarea) return;
    pendingCaret.current = null;
    textarea.focus();
    textarea.setSelectionRange(position, position);
    setCaret(position);
  }, [text]);

  const trigger = caret === null ? null : mentionQueryAt(text, caret);
  const open = trigger !== null && trigger.start !== dismissedAt && !picked.some((p) => text.startsWith(`@${p.label}`, trigger.start));
  const query = open && trigger ? trigger.query : null;
  const results = useMemo(() => (query === null ? [] : searchMembers(members, query)), [query, members]);
  const activeIndex = Math.min(active, Math.max(0, results.length - 1));

  const insert = useCallback(
    (member: Mentionable) => {
      if (!trigger || caret === null) return;
      const memberLabel = labelFor(member.id, members) ?? member.name;
      const chip = `@${memberLabel} `;
      const next = text.slice(0, trigger.start) + chip + text.slice(caret);
      edited.current = true;
      pendingCaret.current = trigger.start + chip.length;
      setText(next);
      setPicked((list) => (list.some((p) => p.id === member.id) ? list : [...list, { id: member.id, label: memberLabel }]));
      setActive(0);
    },
    [caret, members, text, trigger],
  );

  const share = useShare(planId, (member) => {
    setNotice(t("mentions.shared", { name: member.name }));
    insert(member);
  }, () => setNotice(t("mentions.shareFailed")));

  const choose = (member: Mentionable) => {
    if (member.canRead) insert(member);
    else if (directory?.canShare) share.start(member);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter also confirms a Chinese IME candidate: leave it to the IME while composing.
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (onSubmitShortcut) onSubmitShortcut();
      else event.currentTarget.form?.requestSubmit();
      return;
    }
    if (!open || !trigger) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (results.length === 0) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((activeIndex + step + results.length) % results.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      const member = results[activeIndex];
      if (!member) return;
      event.preventDefault();
      choose(member);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setDismissedAt(trigger.start);
    }
  };

  const syncCaret = () => setCaret(textareaRef.current?.selectionStart ?? null);
  const optionId = (index: number) => `${listId}-option-${index}`;

  return (
    <div className="mention-input">
      <textarea
        ref={textareaRef}
        className="mention-input__textarea"
        aria-label={label}
        placeholder={placeholder}
        autoFocus={autoFocus}
        value={text}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open && results.length > 0 ? optionId(activeIndex) : undefined}
        aria-autocomplete="list"
        onChange={(event) => {
          edited.current = true;
          setText(event.target.value);
          setCaret(event.target.selectionStart);
          setActive(0);
          setNotice(null);
        }}
        onSelect={syncCaret}
        onClick={syncCaret}
        onKeyDown={onKeyDown}
        onBlur={() => setCaret(null)}
      />
      <input type="hidden" name={name} value={serializeMentions(text, picked)} />
      {open ? (
        <MentionOptions
          id={listId}
          optionId={optionId}
          members={results}
          active={activeIndex}
          canShare={directory?.canShare ?? false}
          sharing={share.pendingId}
          status={directory ? null : failed ? t("mentions.loadFailed") : t("mentions.loading")}
          onHover={setActive}
          onChoose={choose}
          className="mention-input__popup"
        />
      ) : null}
      <p className="visually-hidden" role="status">
        {open && results.length > 0 ? t("mentions.results", { count: results.length }) : ""}
      </p>
      {notice ? (
        <p className="mention-input__notice" role="status">
          {notice}
        </p>
      ) : null}
    </div>
  );
}

/** Shares the plan read-only with a member through the plan's own setMember action, then reports back. */
export function useShare(planId: string, onShared: (member: Mentionable) => void, onFailed: () => void): { start: (member: Mentionable) => void; pendingId: number | null } {
  const fetcher = useFetcher<{ error: string | null }>();
  const { csrfToken } = useRootData();
  const [pending, setPending] = useState<Mentionable | null>(null);
  const done = useRef({ onShared, onFailed });
  done.current = { onShared, onFailed };
  useEffect(() => {
    if (!pending || fetcher.state !== "idle" || fetcher.data === undefined) return;
    setPending(null);
    if (fetcher.data.error === null) done.current.onShared({ ...pending, canRead: true });
    else done.current.onFailed();
  }, [fetcher.data, fetcher.state, pending]);
  return {
    pendingId: pending?.id ?? null,
    start: (member) => {
      if (pending) return;
      setPending(member);
      fetcher.submit(
        { intent: "setMember", userId: String(member.id), access: "view", [CSRF_FIELD]: csrfToken },
        { method: "post", action: `/plans/${encodeURIComponent(planId)}` },
      );
    },
  };
}

export interface MentionOptionsProps {
  id: string;
  optionId: (index: number) => string;
  members: readonly Mentionable[];
  active: number;
  canShare: boolean;
  sharing: number | null;
  /** Shown instead of the list while the members load or when they failed to. */
  status: string | null;
  onHover: (index: number) => void;
  onChoose: (member: Mentionable) => void;
  className?: string;
}

/** The picker list, shared by the comment textarea and the rich-text editor. */
export function MentionOptions({ id, optionId, members, active, canShare, sharing, status, onHover, onChoose, className }: MentionOptionsProps): JSX.Element {
  const { t } = useTranslation();
  let content: ReactNode;
  if (status !== null) content = <li className="mention-options__empty">{status}</li>;
  else if (members.length === 0) content = <li className="mention-options__empty">{t("mentions.empty")}</li>;
  else
    content = members.map((member, index) => (
      <li
        key={member.id}
        id={optionId(index)}
        role="option"
        aria-selected={index === active}
        // An outsider the asker may share with is still selectable: choosing them shares, then mentions.
        aria-disabled={member.canRead || canShare ? undefined : true}
        data-member-id={member.id}
        className={`mention-options__option${index === active ? " is-active" : ""}${member.canRead ? "" : " is-outsider"}`}
        // Keep focus (and the caret) in the text while clicking.
        onMouseDown={(event) => event.preventDefault()}
        onMouseEnter={() => onHover(index)}
        onClick={() => onChoose(member)}
      >
        <span className="mention-options__avatar" aria-hidden="true">
          {Array.from(member.name)[0] ?? "?"}
        </span>
        <span className="mention-options__name">{member.name}</span>
        <span className="mention-options__username">{member.username}</span>
        {member.canRead ? null : (
          <span className="mention-options__no-access">
            {t("mentions.noAccess")}
            {canShare ? (
              <button type="button" tabIndex={-1} className="mention-options__share" title={t("mentions.shareHint", { name: member.name })} disabled={sharing !== null}>
                {sharing === member.id ? t("mentions.sharing") : t("mentions.share")}
              </button>
            ) : (
              <span className="visually-hidden">{t("mentions.askOwner")}</span>
            )}
          </span>
        )}
      </li>
    ));
  return (
    <ul id={id} role="listbox" aria-label={t("mentions.pickerLabel")} className={`mention-options${className ? ` ${className}` : ""}`}>
      {content}
    </ul>
  );
}
