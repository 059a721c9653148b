// Validates Adaptive Cards with Microsoft's Adaptive Cards SDK (the reference parser the hosts share):
//   node validate.js cards.json   where cards.json is [{"name": ..., "card": {...}}, ...]
// Prints {"<name>": ["<problem>", ...], ...}: every parse event (unknown element or action type, a
// property or value the target version does not know) and every validation failure (a required
// property missing, a duplicate id, ...). An empty list means the card is valid for schema 1.5.
"use strict";
const fs = require("fs");
const path = require("path");
const AC = require(path.join(__dirname, "node_modules/adaptivecards/dist/adaptivecards.js"));

const cards = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const report = {};
for (const { name, card } of cards) {
  const problems = [];
  if (card.type !== "AdaptiveCard") {
    problems.push(`type is ${JSON.stringify(card.type)}, not "AdaptiveCard"`);
  }
  const version = AC.Version.parse(card.version, new AC.SerializationContext());
  if (!version || !version.isValid || version.major !== 1 || version.minor > 5) {
    problems.push(`version ${JSON.stringify(card.version)} is not a 1.x version up to 1.5`);
  }
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(`parse: ${context.getEventAt(i).message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`validation: ${event.message}`);
  }
  report[name] = problems;
}
process.stdout.write(JSON.stringify(report));
