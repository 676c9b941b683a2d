import { getSchema, type JSONContent } from "@tiptap/core";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { isSafeHref, sectionExtensions } from "./extensions";
import { renderSectionHtml } from "./render-section.server";

const text = (value: string, marks?: JSONContent["marks"]): JSONContent =>
  marks ? { type: "text", text: value, marks } : { type: "text", text: value };
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const link = (href: string) => ({ type: "link", attrs: { href } });
const cell = (type: "tableHeader" | "tableCell", value: string): JSONContent => ({ type, content: [paragraph(text(value))] });

const sectionDoc: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [text("活动目标")] },
    paragraph(
      text("提升"),
      text("会员复购", [{ type: "bold" }]),
      text("，详见 "),
      text("方案说明", [link("https://example.com")]),
      text(" 和 "),
      text("坏链接", [link("javascript:alert(1)")]),
    ),
    {
      type: "bulletList",
      content: [{ type: "listItem", content: [paragraph(text("门店海报"))] }],
    },
    {
      type: "taskList",
      content: [
        { type: "taskItem", attrs: { checked: true }, content: [paragraph(text("确认场地"))] },
        { type: "taskItem", attrs: { checked: false }, content: [paragraph(text("采购礼品"))] },
      ],
    },
    {
      type: "table",
      content: [
        { type: "tableRow", content: [cell("tableHeader", "项目"), cell("tableHeader", "负责人")] },
        { type: "tableRow", content: [cell("tableCell", "海报"), cell("tableCell", "小王")] },
      ],
    },
    paragraph(text("<script>alert(1)</script>")),
  ],
};

function storedSection(json: JSONContent): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("section:s1");
  prosemirrorJSONToYXmlFragment(getSchema(sectionExtensions()), json, fragment);
  return fragment;
}

describe("sectionExtensions", () => {
  it("builds the section schema in Node without a DOM", () => {
    const schema = getSchema(sectionExtensions());
    expect(Object.keys(schema.nodes)).toEqual(
      expect.arrayContaining(["doc", "heading", "bulletList", "orderedList", "taskList", "taskItem", "table", "tableRow", "tableHeader", "tableCell", "blockquote"]),
    );
    expect(Object.keys(schema.marks)).toEqual(expect.arrayContaining(["bold", "italic", "strike", "link"]));
    expect(typeof document).toBe("undefined");
  });
});

describe("renderSectionHtml", () => {
  const html = renderSectionHtml(storedSection(sectionDoc));

  it("renders headings, marks, lists, task items and tables", () => {
    expect(html).toContain("<h2>活动目标</h2>");
    expect(html).toContain("<strong>会员复购</strong>");
    expect(html).toMatch(/<ul><li><p>门店海报<\/p><\/li><\/ul>/);
    expect(html).toMatch(/<ul data-type="taskList">/);
    expect(html).toMatch(/<li data-checked="true" data-type="taskItem"><label><input type="checkbox" checked="checked">/);
    expect(html).toMatch(/<li data-checked="false" data-type="taskItem">/);
    expect(html).toMatch(/<table[\s>]/);
    expect(html).toContain("<th colspan=\"1\" rowspan=\"1\"><p>项目</p></th>");
    expect(html).toContain("<td colspan=\"1\" rowspan=\"1\"><p>小王</p></td>");
  });

  it("keeps safe links and renders unsafe ones without an href", () => {
    expect(html).toMatch(/<a [^>]*href="https:\/\/example\.com"[^>]*>方案说明<\/a>/);
    expect(html).toMatch(/<a target="_blank" rel="noopener noreferrer nofollow">坏链接<\/a>/);
    expect(html).not.toContain("javascript:");
  });

  it("escapes text", () => {
    expect(html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(html).not.toContain("<script>");
  });

  it("drops node and mark types the schema does not know", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("section:s1");
    const evil = new Y.XmlElement("iframe");
    const para = new Y.XmlElement("paragraph");
    const words = new Y.XmlText();
    words.insert(0, "仍然显示", { blink: {} });
    para.insert(0, [words]);
    fragment.insert(0, [evil, para]);
    expect(renderSectionHtml(fragment)).toBe("<p>仍然显示</p>");
  });

  it("renders an empty section as an empty string", () => {
    expect(renderSectionHtml(new Y.Doc().getXmlFragment("section:empty"))).toBe("");
  });
});

describe("isSafeHref", () => {
  it.each([
    ["https://example.com", true],
    ["http://example.com/a?b=c", true],
    ["HTTPS://EXAMPLE.COM", true],
    ["mailto:someone@example.com", true],
    [" https://example.com", true],
    ["javascript:alert(1)", false],
    ["JavaScript:alert(1)", false],
    ["java\tscript:alert(1)", false],
    ["java\nscript:alert(1)", false],
    [" javascript:alert(1)", false],
    ["\u0000javascript:alert(1)", false],
    ["\u00a0javascript:alert(1)", false],
    ["data:text/html,<script>alert(1)</script>", false],
    ["vbscript:msgbox(1)", false],
    ["ftp://example.com", false],
    ["file:///etc/passwd", false],
    ["//evil.example", false],
    ["/plans/1", false],
    ["example.com", false],
    ["", false],
  ])("%j → %s", (href, safe) => {
    expect(isSafeHref(href)).toBe(safe);
  });
});

describe("mentions in a section", () => {
  const mention = (attrs: Record<string, unknown>): JSONContent => ({ type: "mention", attrs });

  it("renders a mention as an @name chip carrying the member id", () => {
    const html = renderSectionHtml(storedSection({ type: "doc", content: [paragraph(text("请 "), mention({ id: "2", label: "李娜", key: "k1abcdefgh" }), text(" 确认"))] }));
    const span = /<span[^>]*class="mention"[^>]*>@李娜<\/span>/.exec(html)?.[0] ?? "";
    expect(span).toContain('data-member-id="2"');
    expect(html).toContain("请 ");
    expect(html).toContain(" 确认");
  });

  it("escapes a forged label and drops an id that is not a member id", () => {
    const html = renderSectionHtml(
      storedSection({ type: "doc", content: [paragraph(mention({ id: '2" onmouseover="alert(1)', label: "<img src=x onerror=alert(1)>", key: "k" }))] }),
    );
    const page = new Window();
    page.document.body.innerHTML = html;
    const chip = page.document.querySelector("span.mention");
    expect(page.document.querySelector("img")).toBeNull();
    expect(chip?.getAttribute("onmouseover")).toBeNull();
    expect(chip?.hasAttribute("data-member-id")).toBe(false);
    expect(chip?.textContent).toBe("@<img src=x onerror=alert(1)>");
    void page.happyDOM.close();
  });

  it("keeps the mention node in the section schema, so the server and the editor agree", () => {
    expect(Object.keys(getSchema(sectionExtensions()).nodes)).toContain("mention");
  });
});
