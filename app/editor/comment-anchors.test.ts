import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { decodePosition, encodePosition } from "~/domain/comments";
import { textAnchorAlive } from "./comment-anchors";

const SENTENCE = "端午家庭套餐限时八折优惠。";

/** A section holding one paragraph, and an anchor on SENTENCE as the editor makes it: start sticks right, end sticks left. */
function setUp() {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("section:s1");
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  fragment.insert(0, [paragraph]);
  text.insert(0, `开场。${SENTENCE}结束。`);
  const at = 3;
  const start = encodePosition(Y.createRelativePositionFromTypeIndex(text, at, 0));
  const end = encodePosition(Y.createRelativePositionFromTypeIndex(text, at + SENTENCE.length, -1));
  return { doc, fragment, paragraph, text, start, end };
}

/** A second replica of the document, as another client has it. */
function replica(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

describe("textAnchorAlive", () => {
  it("holds while other clients type before, inside and after the range", () => {
    const { doc, fragment, start, end } = setUp();
    const other = replica(doc);
    const otherText = (other.getXmlFragment("section:s1").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    otherText.insert(3 + 6, "（会员专享）");
    otherText.insert(3, "【新】");
    otherText.insert(otherText.length, "附言");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(textAnchorAlive(doc, fragment, start, end)).toBe(true);
    // The range moved with the text and grew by what was typed inside it, not by what was typed at its edges.
    const from = Y.createAbsolutePositionFromRelativePosition(decodePosition(start)!, doc)!;
    const to = Y.createAbsolutePositionFromRelativePosition(decodePosition(end)!, doc)!;
    expect(((from.type as Y.XmlText).toString() as string).slice(from.index, to.index)).toBe("端午家庭套餐（会员专享）限时八折优惠。");
  });

  it("is orphaned once the whole sentence is deleted, and stays alive while part of it is left", () => {
    const { doc, fragment, text, start, end } = setUp();
    text.delete(3, 4);
    expect(textAnchorAlive(doc, fragment, start, end)).toBe(true);
    text.delete(3, SENTENCE.length - 4);
    expect(textAnchorAlive(doc, fragment, start, end)).toBe(false);
  });

  it("is orphaned when its paragraph is deleted", () => {
    const { doc, fragment, start, end } = setUp();
    fragment.delete(0, 1);
    expect(textAnchorAlive(doc, fragment, start, end)).toBe(false);
  });

  it("is not alive in another section, for text this replica has not received, or for junk", () => {
    const { doc, start, end } = setUp();
    expect(textAnchorAlive(doc, doc.getXmlFragment("section:other"), start, end)).toBe(false);
    const stranger = new Y.Doc();
    const strangerText = new Y.XmlText();
    stranger.getXmlFragment("section:s1").insert(0, [strangerText]);
    strangerText.insert(0, "别处的文字");
    const unknown = encodePosition(Y.createRelativePositionFromTypeIndex(strangerText, 1, 0));
    expect(textAnchorAlive(doc, doc.getXmlFragment("section:s1"), unknown, end)).toBe(false);
    expect(textAnchorAlive(doc, doc.getXmlFragment("section:s1"), "!!!!", end)).toBe(false);
  });
});
