// Stays whole (over 400 lines): the task table and the Gantt chart edit one set of rows with shared messages; the chart's pure geometry already lives in timeline-gantt.ts.
import { CommentButton } from "~/components/comments/comment-button";
import Gantt, { type GanttOptions, type GanttTask } from "frappe-gantt";
import { useEffect, useId, useMemo, useRef, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useConfirm } from "~/components/dialogs";
import type * as Y from "yjs";
import { daysBetween, MAX_YEAR, MIN_YEAR } from "~/domain/calendar";
import { metaMap, parseDateCell, parseTextCell, readPlanDoc, removeRow, ROOT, TASK_STATUSES, TEXT_LIMITS, updateRow, type TaskStatus, type TimelineItem } from "~/domain/plan-document";
import { PHASES, type Phase } from "~/domain/template";
import type { BlockProps, Person } from "./block-props";
import { matchPerson, moveRowBy, PeopleList, personName, RowActions, SelectCell, TextCell, useCellMessage, type CommitResult } from "./editable-cell.client";
import {
  calendarMarks,
  chartSpan,
  containsDay,
  createsCycle,
  formatDay,
  ganttHolidays,
  ganttTasks,
  ganttViewModes,
  initialView,
  isoOfLocalDate,
  MARK_COLORS,
  markRuns,
  PHASE_COLORS,
  phaseLabelFor,
  retimeTask,
  timelineSpan,
  unpublishedYears,
  VIEW_NAMES,
  weekdayOf,
  type CalendarMark,
  type DateSpan,
  type ViewName,
} from "./timeline-gantt";
import { RowTable } from "./row-table.client";
import { useBlockRows } from "./use-block-rows";

/** 活动基准日 from the plan's meta, live: a template apply may set it after the page opened. */
function usePlanAnchor(doc: Y.Doc): string {
  const [anchor, setAnchor] = useState(() => readPlanDoc(doc).meta.anchor);
  useEffect(() => {
    const meta = metaMap(doc);
    const update = () => setAnchor(readPlanDoc(doc).meta.anchor);
    meta.observe(update);
    update();
    return () => meta.unobserve(update);
  }, [doc]);
  return anchor;
}

/** The timeline (时间表) block: an editable task table in document order, with a Gantt chart below. */
export default function TimelineBlock({ doc, editable, people, today }: BlockProps) {
  const { t, i18n } = useTranslation();
  const { rows, invalid } = useBlockRows(doc, ROOT.timeline);
  const anchor = usePlanAnchor(doc);
  const listId = useId();
  const columns = ["phase", "task", "start", "end", "owner", "status", "dependsOn"] as const;
  return (
    <div className="block block-timeline">
      {anchor ? (
        <p className="block-anchor" data-anchor={anchor}>
          {t("timeline.anchor", { date: anchor, weekday: weekdayOf(anchor, i18n.language) })}
        </p>
      ) : null}
      {editable ? <PeopleList id={listId} people={people} /> : null}
      <RowTable doc={doc} root={ROOT.timeline} columns={columns} textKey="timeline" editable={editable} today={today} rowIds={rows.map((row) => row.id)} focusColumn="task" invalidCount={invalid.length}>
        {rows.map((row, index) => (
          <TimelineRow key={row.id} doc={doc} row={row} rows={rows} index={index} editable={editable} people={people} listId={listId} />
        ))}
      </RowTable>
      <GanttChart doc={doc} rows={rows} editable={editable} people={people} today={today} />
    </div>
  );
}

interface RowProps {
  doc: Y.Doc;
  row: TimelineItem;
  rows: readonly TimelineItem[];
  index: number;
  editable: boolean;
  people: readonly Person[];
  listId: string;
}

function TimelineRow({ doc, row, rows, index, editable, people, listId }: RowProps) {
  const { t, i18n } = useTranslation();
  const message = useCellMessage();
  const number = index + 1;
  const label = (column: string) => t("timeline.cellLabel", { column: t(`timeline.columns.${column}`), row: number });
  const owner = personName(people, row.ownerUserId, row.owner);
  const phaseName = t(`timeline.phase.${row.phase}`);
  const taskName = (item: TimelineItem, at: number) => t("timeline.dependencyOption", { row: at + 1, task: item.task || t("timeline.untitled") });
  const dependency = rows.findIndex((item) => item.id === row.dependsOn);
  const rowStyle = { "--phase": PHASE_COLORS[row.phase].progress } as CSSProperties;

  const write = (patch: Partial<Omit<TimelineItem, "id">>): CommitResult => (updateRow(doc, ROOT.timeline, row.id, patch) ? null : message("rowGone"));
  const writeText = (field: "task" | "owner", text: string): CommitResult => {
    const parsed = parseTextCell(text, TEXT_LIMITS.timeline[field]);
    if (!parsed.ok) return message(parsed.code, { max: TEXT_LIMITS.timeline[field] });
    if (field === "task") return write({ task: parsed.value });
    const person = matchPerson(people, parsed.value);
    return write({ owner: person.name, ownerUserId: person.userId });
  };
  const writeDate = (field: "start" | "end", text: string): CommitResult => {
    const parsed = parseDateCell(text);
    if (!parsed.ok) return message(parsed.code);
    const inRange = (day: string) => Number(day.slice(0, 4)) >= MIN_YEAR && Number(day.slice(0, 4)) <= MAX_YEAR;
    if (!inRange(parsed.value)) return message("yearOutOfRange", { min: MIN_YEAR, max: MAX_YEAR });
    const dates = retimeTask(row, field, parsed.value);
    if (!dates) return message("endBeforeStart");
    if (!inRange(dates.end)) return message("yearOutOfRange", { min: MIN_YEAR, max: MAX_YEAR });
    return write(dates);
  };
  const [confirm, confirmDialog] = useConfirm();
  const remove = async () => {
    if (!(await confirm({ message: t("timeline.removeConfirm", { name: row.task || t("timeline.untitled") }), confirmLabel: t("timeline.remove"), danger: true }))) return;
    // Tasks that waited for this one would point at nothing: clear them in the same change.
    doc.transact(() => {
      removeRow(doc, ROOT.timeline, row.id);
      for (const other of rows) if (other.dependsOn === row.id) updateRow(doc, ROOT.timeline, other.id, { dependsOn: "" });
    });
  };

  if (!editable) {
    return (
      <tr data-row-id={row.id} className={`phase-${row.phase} status-${row.status}`} style={rowStyle}>
        <td className="col-index">
          {number}
          <CommentButton anchor={{ kind: "timelineItem", itemId: row.id }} name={row.task || t("timeline.untitled")} />
        </td>
        <td data-field="phase">
          <span className="phase-chip" title={phaseName}>
            {row.phaseLabel || phaseName}
          </span>
        </td>
        <td data-field="task">{row.task}</td>
        <td data-field="start" className="nowrap">
          {formatDay(row.start, i18n.language)}
        </td>
        <td data-field="end" className="nowrap">
          {formatDay(row.end, i18n.language)}
        </td>
        <td data-field="owner">{owner}</td>
        <td data-field="status">
          <span className={`task-status task-status-${row.status}`}>{t(`timeline.status.${row.status}`)}</span>
        </td>
        <td data-field="dependsOn">
          {dependency >= 0 && rows[dependency] ? (
            <span className="clamp" title={taskName(rows[dependency], dependency)}>
              {taskName(rows[dependency], dependency)}
            </span>
          ) : null}
        </td>
      </tr>
    );
  }

  const dependencyOptions = [
    { value: "", label: t("timeline.noDependency") },
    ...(row.dependsOn !== "" && dependency < 0 ? [{ value: row.dependsOn, label: t("timeline.missingDependency"), disabled: true }] : []),
    ...rows.flatMap((item, at) => (item.id === row.id ? [] : [{ value: item.id, label: taskName(item, at) }])),
  ];
  return (
    <tr data-row-id={row.id} className={`phase-${row.phase} status-${row.status}`} style={rowStyle}>
      <td className="col-index">
        {number}
        <CommentButton anchor={{ kind: "timelineItem", itemId: row.id }} name={row.task || t("timeline.untitled")} />
      </td>
      <td data-field="phase">
        <SelectCell<Phase>
          value={row.phase}
          label={label("phase")}
          options={PHASES.map((phase) => ({ value: phase, label: t(`timeline.phase.${phase}`) }))}
          onCommit={(phase) => write({ phase, phaseLabel: phaseLabelFor(rows, phase, row.id) })}
        />
        {row.phaseLabel ? <span className="phase-label">{row.phaseLabel}</span> : null}
      </td>
      <td data-field="task">
        <TextCell value={row.task} label={label("task")} placeholder={t("timeline.untitled")} onCommit={(text) => writeText("task", text)} />
      </td>
      <td data-field="start">
        <TextCell type="date" value={row.start} label={label("start")} onCommit={(text) => writeDate("start", text)} />
      </td>
      <td data-field="end">
        <TextCell type="date" value={row.end} label={label("end")} onCommit={(text) => writeDate("end", text)} />
      </td>
      <td data-field="owner">
        <TextCell
          value={owner}
          label={label("owner")}
          list={listId}
          title={t("timeline.peopleHint")}
          className={row.ownerUserId !== null ? "is-member" : undefined}
          onCommit={(text) => writeText("owner", text)}
          adornment={row.ownerUserId !== null ? <span className="member-mark" title={t("timeline.member")} aria-hidden="true" /> : null}
        />
      </td>
      <td data-field="status">
        <SelectCell<TaskStatus>
          value={row.status}
          label={label("status")}
          options={TASK_STATUSES.map((status) => ({ value: status, label: t(`timeline.status.${status}`) }))}
          onCommit={(status) => write({ status })}
        />
      </td>
      <td data-field="dependsOn">
        <SelectCell
          value={row.dependsOn}
          label={label("dependsOn")}
          options={dependencyOptions}
          onCommit={(dependsOn) => (createsCycle(rows, row.id, dependsOn) ? message("cycle") : write({ dependsOn }))}
        />
      </td>
      <td className="col-actions">
        <RowActions row={number} index={index} count={rows.length} onMove={(delta) => moveRowBy(doc, ROOT.timeline, rows, index, delta)} onRemove={() => void remove()} />
        {confirmDialog}
      </td>
    </tr>
  );
}

// ---------------------------------------------------------------------------------------
// Gantt chart

interface ChartProps {
  doc: Y.Doc;
  rows: readonly TimelineItem[];
  editable: boolean;
  people: readonly Person[];
  today: string;
}

/** Days one column of each scale stands for, to keep the same day in view across a re-render. */
const DAYS_PER_COLUMN: Record<ViewName, number> = { Day: 1, Week: 7, Month: 30 };

/** The first day in view, so a re-render (someone's edit, a scale switch) stays where the member was. */
function dayInView(gantt: Gantt): string | null {
  const left = gantt.$container.scrollLeft;
  if (left <= 0) return null;
  const view = (VIEW_NAMES as readonly string[]).includes(gantt.options.view_mode) ? (gantt.options.view_mode as ViewName) : "Day";
  const days = Math.ceil(left / gantt.config.column_width) * DAYS_PER_COLUMN[view];
  const start = gantt.gantt_start;
  return isoOfLocalDate(new Date(start.getFullYear(), start.getMonth(), start.getDate() + days));
}

function GanttChart({ doc, rows, editable, people, today }: ChartProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const hostRef = useRef<HTMLDivElement>(null);
  const ganttRef = useRef<Gantt | null>(null);
  const untitled = t("timeline.untitled");
  const tasksKey = useMemo(() => JSON.stringify(ganttTasks(rows, untitled)), [rows, untitled]);
  const span = timelineSpan(rows);
  const [view, setView] = useState<ViewName>(() => initialView(span));
  const spanStart = span?.start ?? "";
  const spanEnd = span?.end ?? "";
  const marks = useMemo(() => (spanStart ? calendarMarks(chartSpan({ start: spanStart, end: spanEnd })) : []), [spanStart, spanEnd]);
  const holidays = useMemo(() => {
    const label = (mark: CalendarMark) =>
      [
        ...mark.festivals.map((festival) => t(`timeline.festivals.${festival}`)),
        ...(mark.official ? [t("timeline.gantt.dayOff", { name: mark.official })] : []),
        ...(mark.workday ? [t("timeline.gantt.workdayFor", { name: mark.workday })] : []),
      ].join(" · ");
    return ganttHolidays(marks, label, view);
  }, [marks, t, view]);

  // The library calls back long after a render: it reads the newest rows and text from here.
  const latest = useRef({ doc, rows, people, t, locale });
  useEffect(() => {
    latest.current = { doc, rows, people, t, locale };
  });

  // Dragging fires a date change on every mouse move; the document gets one write, on release.
  const pendingDates = useRef(new Map<string, DateSpan>());
  useEffect(() => {
    const flush = () => {
      if (pendingDates.current.size === 0) return;
      const changes = [...pendingDates.current];
      pendingDates.current.clear();
      const target = latest.current.doc;
      target.transact(() => {
        for (const [id, dates] of changes) if (dates.end >= dates.start) updateRow(target, ROOT.timeline, id, dates);
      });
    };
    document.addEventListener("mouseup", flush);
    return () => document.removeEventListener("mouseup", flush);
  }, []);

  // frappe-gantt has no destroy(): dropping its DOM is all there is to undo.
  useEffect(() => {
    const host = hostRef.current;
    return () => {
      ganttRef.current = null;
      host?.replaceChildren();
    };
  }, [locale]);

  useEffect(() => {
    const host = hostRef.current;
    const tasks = JSON.parse(tasksKey) as GanttTask[];
    if (!host || tasks.length === 0) return;
    const access = { readonly: !editable, readonly_dates: !editable, readonly_progress: true };
    const gantt = ganttRef.current;
    if (gantt) {
      Object.assign(gantt.options, access, { holidays, view_mode: view, scroll_to: dayInView(gantt) });
      gantt.refresh(tasks);
      gantt.bind_holiday_labels();
      return;
    }
    const modes = ganttViewModes(locale);
    const options: GanttOptions = {
      ...access,
      // The library starts in the first scale listed.
      view_modes: [modes[view], ...VIEW_NAMES.filter((name) => name !== view).map((name) => modes[name])],
      language: locale.startsWith("zh") ? "zh" : "en",
      holidays,
      bar_height: 24,
      padding: 14,
      upper_header_height: 32,
      lower_header_height: 26,
      infinite_padding: false,
      move_dependencies: false,
      today_button: false,
      view_mode_select: false,
      scroll_to: "today",
      popup_on: "click",
      popup: ({ task, get_title, get_subtitle, get_details }) => {
        const { rows: current, people: members, t: translate, locale: lang } = latest.current;
        const row = current.find((item) => item.id === task.id);
        if (!row) return false;
        get_title().textContent = row.task || translate("timeline.untitled");
        get_subtitle().textContent = [row.phaseLabel || translate(`timeline.phase.${row.phase}`), personName(members, row.ownerUserId, row.owner)].filter(Boolean).join(" · ");
        get_details().textContent = [
          `${formatDay(row.start, lang)} – ${formatDay(row.end, lang)}`,
          translate("timeline.gantt.duration", { count: daysBetween(row.start, row.end) + 1 }),
          translate(`timeline.status.${row.status}`),
        ].join(" · ");
        return undefined;
      },
      on_date_change: (task, start, end) => {
        pendingDates.current.set(task.id, { start: isoOfLocalDate(start), end: isoOfLocalDate(end) });
      },
    };
    ganttRef.current = new Gantt(host, tasks, options);
  }, [tasksKey, holidays, editable, view, locale]);

  const todayInView = span !== null && containsDay(span, today);
  const runs = span ? markRuns(marks.filter((mark) => containsDay(span, mark.date))) : [];
  const unpublished = span ? unpublishedYears(span) : [];
  const runLabel = (kind: string, name: string) =>
    kind === "festival" ? t(`timeline.festivals.${name}`) : kind === "official" ? t("timeline.gantt.dayOff", { name }) : t("timeline.gantt.workdayFor", { name });
  const runDates = (from: string, to: string) => (from === to ? formatDay(from, locale, "short") : `${formatDay(from, locale, "short")}–${formatDay(to, locale, "short")}`);

  return (
    <section className="gantt-panel" aria-label={t("timeline.gantt.chartLabel")}>
      <div className="gantt-toolbar">
        <h3>{t("timeline.gantt.title")}</h3>
        {span ? (
          <div className="gantt-controls">
            <div className="segmented" role="group" aria-label={t("timeline.gantt.scale")}>
              {VIEW_NAMES.map((name) => (
                <button key={name} type="button" aria-pressed={view === name} onClick={() => setView(name)}>
                  {t(`timeline.gantt.views.${name}`)}
                </button>
              ))}
            </div>
            <button type="button" className="button small" title={t("timeline.gantt.todayHint")} disabled={!todayInView} onClick={() => ganttRef.current?.scroll_current()}>
              {t("timeline.gantt.today")}
            </button>
          </div>
        ) : null}
      </div>
      {span ? null : <p className="gantt-empty">{t("timeline.gantt.empty")}</p>}
      <div className="gantt-host" data-gantt data-view={view} ref={hostRef} hidden={!span} />
      {span ? (
        <div className="gantt-legend" aria-label={t("timeline.gantt.legend")}>
          <ul className="legend-keys">
            {PHASES.map((phase) => (
              <li key={phase}>
                <span className="swatch" style={{ background: PHASE_COLORS[phase].bar }} />
                {t(`timeline.phase.${phase}`)}
              </li>
            ))}
            <li>
              <span className="swatch today" />
              {t("timeline.gantt.today")}
            </li>
            {(["weekend", "official", "workday", "festival"] as const).map((kind) => (
              <li key={kind}>
                <span className="swatch bordered" style={{ background: MARK_COLORS[kind] }} />
                {t(`timeline.gantt.${kind}`)}
              </li>
            ))}
          </ul>
          {!todayInView ? <p className="muted">{t("timeline.gantt.todayOutside", { date: formatDay(today, locale) })}</p> : null}
          {unpublished.length > 0 ? <p className="muted">{t("timeline.gantt.unpublished", { years: unpublished.join("、") })}</p> : null}
          {runs.length === 0 ? (
            <p className="muted">{t("timeline.gantt.noHolidays")}</p>
          ) : (
            <p className="legend-holidays">
              <span className="muted">{t("timeline.gantt.holidaysInRange")}</span>
              {runs.map((run) => (
                <span key={`${run.kind}-${run.name}-${run.from}`} className={`holiday-run holiday-${run.kind}`} data-date={run.from}>
                  <span className="swatch bordered" style={{ background: MARK_COLORS[run.kind] }} />
                  {runLabel(run.kind, run.name)} {runDates(run.from, run.to)}
                </span>
              ))}
            </p>
          )}
          {editable ? <p className="muted">{t("timeline.gantt.dragHint")}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
