/**
 * Labels and messages of the section (章节) editor. The lead merges these into the
 * i18next resources under the key `editor`; the route passes the current language's
 * object to `SectionEditor` as `labels`.
 */
export const editorZh = {
  toolbar: "章节格式工具栏",
  content: "章节正文",
  paragraph: "段落",
  heading1: "标题 1",
  heading2: "标题 2",
  heading3: "标题 3",
  bold: "加粗",
  italic: "斜体",
  strike: "删除线",
  bulletList: "无序列表",
  orderedList: "有序列表",
  taskList: "清单",
  blockquote: "引用",
  insertTable: "插入表格",
  addRow: "添加行",
  addColumn: "添加列",
  deleteTable: "删除表格",
  link: "链接",
  undo: "撤销",
  redo: "重做",
  linkPrompt: "请输入链接地址（http、https 或 mailto），留空则移除链接",
  linkRefused: "只允许 http、https 或 mailto 链接",
  linkConfirm: "确定",
};

export type EditorLabels = typeof editorZh;

export const editorEn: EditorLabels = {
  toolbar: "Section formatting",
  content: "Section text",
  paragraph: "Paragraph",
  heading1: "Heading 1",
  heading2: "Heading 2",
  heading3: "Heading 3",
  bold: "Bold",
  italic: "Italic",
  strike: "Strikethrough",
  bulletList: "Bulleted list",
  orderedList: "Numbered list",
  taskList: "Checklist",
  blockquote: "Quote",
  insertTable: "Insert table",
  addRow: "Add row",
  addColumn: "Add column",
  deleteTable: "Delete table",
  link: "Link",
  undo: "Undo",
  redo: "Redo",
  linkPrompt: "Enter a link address (http, https or mailto); leave empty to remove the link",
  linkRefused: "Only http, https or mailto links are allowed",
  linkConfirm: "OK",
};
