import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import {
  COMMENT_BODY_MAX,
  QUOTE_MAX,
  commentExcerpt,
  decodePosition,
  encodePosition,
  mentionedIds,
  parseAnchor,
  parseCommentBody,
  textAnchorFits,
  trimQuote,
  type TextAnchor,
} from "./comments";
import { sectionFragment } from "./plan-document";

function docWithSections(...texts: string[]): { doc: Y.Doc; texts: Y.XmlText[] } {
  const doc = new Y.Doc();
  const nodes = texts.map((content, i) => {
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText(content);
    paragraph.insert(0, [text]);
    sectionFragment(doc, `s${i}`).insert(0, [paragraph]);
    return text;
  });
  return { doc, texts: nodes };
}

const at = (text: Y.XmlText, index: number) => encodePosition(Y.createRelativePositionFromTypeIndex(text, index));

describe("parseAnchor", () => {
  it("reads each anchor kind and refuses anything else", () => {
    expect(parseAnchor(JSON.stringify({ kind: "budgetLine", lineId: "abcdef123456" }))).toEqual({ kind: "budgetLine", lineId: "abcdef123456" });
    expect(parseAnchor(JSON.stringify({ kind: "diffLine", revisionId: 3, lineId: "abcdef123456" }))).toEqual({ kind: "diffLine", revisionId: 3, lineId: "abcdef123456" });
    expect(parseAnchor(JSON.stringify({ kind: "timelineItem", itemId: "abcdef123456" }))?.kind).toBe("timelineItem");
    expect(parseAnchor(JSON.stringify({ kind: "kpi", kpiId: "abcdef123456" }))?.kind).toBe("kpi");
    for (const bad of ["{", "null", "[]", '{"kind":"budgetLine"}', '{"kind":"budgetLine","lineId":"a b"}', '{"kind":"diffLine","revisionId":"3","lineId":"abcdef123456"}', '{"kind":"kpi","kpiId":"abcdef123456","x":1}', '{"kind":"text","sectionId":"s0","start":"not base64!","end":"AAAA"}']) {
      expect(parseAnchor(bad), bad).toBeNull();
    }
  });
});

describe("parseCommentBody", () => {
  it("trims, and counts characters as SQLite does", () => {
    expect(parseCommentBody("  你好 \n")).toEqual({ ok: true, body: "你好" });
    expect(parseCommentBody(" \n\t ")).toEqual({ ok: false, code: "bodyRequired" });
    expect(parseCommentBody(undefined)).toEqual({ ok: false, code: "bodyRequired" });
    expect(parseCommentBody("😀".repeat(COMMENT_BODY_MAX))).toMatchObject({ ok: true });
    expect(parseCommentBody("长".repeat(COMMENT_BODY_MAX + 1))).toEqual({ ok: false, code: "bodyTooLong" });
  });
});

describe("trimQuote", () => {
  it("folds whitespace and cuts to QUOTE_MAX characters", () => {
    expect(trimQuote("  提升\n\n端午   客流 ")).toBe("提升 端午 客流");
    expect(Array.from(trimQuote("😀".repeat(QUOTE_MAX + 5)))).toHaveLength(QUOTE_MAX);
    expect(trimQuote(42)).toBe("");
  });
});

describe("mentions", () => {
  it("finds each mentioned member once, in order, ignoring malformed tokens", () => {
    expect(mentionedIds("<@12> 看下 <@3><@12> <@0> <@-1> <@ 4> <@abc> <@5")).toEqual([12, 3]);
    expect(mentionedIds("没有提到任何人")).toEqual([]);
  });

  it("writes mentions as @名字 in excerpts and cuts long ones", () => {
    const names = new Map([[12, "陈晨"]]);
    expect(commentExcerpt("<@12> 请看\n一下 <@99>", (id) => names.get(id))).toBe("@陈晨 请看 一下 <@99>");
    expect(commentExcerpt("字".repeat(100), () => undefined, 10)).toBe(`${"字".repeat(9)}…`);
  });
});

describe("text anchors", () => {
  it("round-trips a relative position through base64", () => {
    const { texts } = docWithSections("提升客流");
    const encoded = at(texts[0]!, 2);
    const decoded = decodePosition(encoded);
    expect(decoded).not.toBeNull();
    expect(encodePosition(decoded!)).toBe(encoded);
    expect(decoded!.item).toEqual(Y.createRelativePositionFromTypeIndex(texts[0]!, 2).item);
    expect(decodePosition("!!!")).toBeNull();
    expect(decodePosition("")).toBeNull();
  });

  it("fits only positions the document knows, inside the named section", () => {
    const { doc, texts } = docWithSections("提升客流", "粽香满堂");
    const anchor = (start: string, end: string): TextAnchor => ({ kind: "text", sectionId: "s0", start, end });
    const s0 = sectionFragment(doc, "s0");
    expect(textAnchorFits(doc, s0, anchor(at(texts[0]!, 0), at(texts[0]!, 2)))).toBe(true);
    expect(textAnchorFits(doc, s0, anchor(at(texts[0]!, 0), at(texts[1]!, 2)))).toBe(false);
    // An item of a client this document never heard of.
    const elsewhere = docWithSections("别的方案");
    expect(textAnchorFits(doc, s0, anchor(at(elsewhere.texts[0]!, 0), at(texts[0]!, 2)))).toBe(false);
    expect(textAnchorFits(doc, s0, anchor("AAAA", at(texts[0]!, 2)))).toBe(false);
  });

  it("keeps pointing at the same text after concurrent edits around it", () => {
    const { doc, texts } = docWithSections("提升客流与客单价");
    const start = at(texts[0]!, 2);
    const end = at(texts[0]!, 4);
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const remoteText = (sectionFragment(remote, "s0").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    remoteText.insert(0, "大幅");
    texts[0]!.insert(texts[0]!.length, "，同比+20%");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    const from = Y.createAbsolutePositionFromRelativePosition(decodePosition(start)!, doc)!.index;
    const to = Y.createAbsolutePositionFromRelativePosition(decodePosition(end)!, doc)!.index;
    expect(Y.Text.prototype.toJSON.call(texts[0]!).slice(from, to)).toBe("客流");
  });
});
