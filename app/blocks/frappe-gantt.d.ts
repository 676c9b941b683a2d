// frappe-gantt 1.2 ships no type declarations; these cover the part of its API the
// timeline block uses, as read from node_modules/frappe-gantt/src (index.js, defaults.js).
declare module "frappe-gantt" {
  export interface GanttTask {
    id: string;
    /** Set as the bar label's innerHTML: escape it. */
    name: string;
    /** YYYY-MM-DD, read as a local date. */
    start: string;
    /** YYYY-MM-DD, inclusive (the library extends it to the end of that day). */
    end: string;
    /** 0–100. */
    progress: number;
    /** Comma-separated ids of the tasks this one waits for. */
    dependencies?: string;
    /** One class name: the library adds it with classList.add, so no spaces. */
    custom_class?: string;
    color?: string;
    color_progress?: string;
  }

  /** The library's working copy of a task, with its parsed dates. */
  export interface GanttTaskState extends GanttTask {
    _start: Date;
    _end: Date;
  }

  export interface GanttViewMode {
    name: string;
    padding: string | [string, string];
    step: string;
    /** Also the format of the header cells' class names the library looks "today" up by. */
    date_format: string;
    column_width?: number;
    snap_at?: string;
    lower_text: (date: Date, previous: Date | null, language: string) => string;
    upper_text: (date: Date, previous: Date | null, language: string) => string;
    upper_text_frequency?: number;
    thick_line?: (date: Date) => boolean;
  }

  export interface GanttHoliday {
    date: string;
    name: string;
  }

  export interface GanttPopupContext {
    task: GanttTaskState;
    get_title: () => HTMLElement;
    get_subtitle: () => HTMLElement;
    get_details: () => HTMLElement;
  }

  export interface GanttOptions {
    view_modes?: GanttViewMode[];
    view_mode?: string;
    language?: string;
    /** CSS colour → "weekend" or the days to mark. */
    holidays?: Record<string, "weekend" | GanttHoliday[]>;
    bar_height?: number;
    padding?: number;
    upper_header_height?: number;
    lower_header_height?: number;
    infinite_padding?: boolean;
    readonly?: boolean;
    readonly_dates?: boolean;
    readonly_progress?: boolean;
    move_dependencies?: boolean;
    today_button?: boolean;
    view_mode_select?: boolean;
    scroll_to?: string | null;
    popup_on?: "click" | "hover";
    popup?: (context: GanttPopupContext) => string | false | undefined;
    on_date_change?: (task: GanttTaskState, start: Date, end: Date) => void;
  }

  export default class Gantt {
    constructor(wrapper: HTMLElement, tasks: GanttTask[], options?: GanttOptions);
    options: GanttOptions & { view_mode: string };
    config: { column_width: number; step: number; unit: string };
    gantt_start: Date;
    gantt_end: Date;
    $container: HTMLElement;
    refresh(tasks: GanttTask[]): void;
    change_view_mode(mode?: string, maintainPosition?: boolean): void;
    scroll_current(): void;
    /** Hover labels of the holiday columns; the constructor binds them once, not after a re-render. */
    bind_holiday_labels(): void;
    hide_popup(): void;
  }
}
