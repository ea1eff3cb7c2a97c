// What the lesson tests and screenshots need to know of a lesson: its questions and their answers,
// read from its recording (lessons/recorded/<id>.txt, the file the page fetches).
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./lib.mjs";

/** Each step's question of a recorded lesson (lessons/recorded/<id>.txt): { kind, answer } or null. */
export function answers(id) {
  const text = fs.readFileSync(path.join(ROOT, "lessons", "recorded", `${id}.txt`), "utf8");
  const steps = [];
  for (const line of text.split("\n")) {
    const f = line.split("\t");
    if (f[0] === "branch") break;
    if (f[0] === "step") steps.push(null);
    if (f[0] === "ask") steps[steps.length - 1] = { kind: f[1] };
    if (f[0] === "answer") steps[steps.length - 1].answer = f[1].split(" ");
  }
  return steps;
}

