// Validate APL documents with apl-suggester (Amazon's APL validator, as in the APL authoring tool).
// Usage: node tests/js/validate-apl.js DOCUMENT.json...
// Prints one JSON object: {"<path>": [{"path", "errorMessage", "level"}, ...], ...}; exit 0.
'use strict';
const fs = require('fs');
const path = require('path');
const { StaticAplTemplateValidator } = require(path.join(__dirname, '..', '..', 'node_modules', 'apl-suggester'));

async function main(files) {
  const validator = new StaticAplTemplateValidator();
  const results = {};
  for (const file of files) {
    results[file] = await validator.validate(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main(process.argv.slice(2)).catch((err) => { console.error(err); process.exit(2); });
