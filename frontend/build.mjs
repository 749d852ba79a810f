// Compiles GOV.UK Frontend and the site's own styles into frontend/build/, which Django serves
// under /static/. Run by `make frontend` (part of `make run` and `make test`).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const build = join(root, "frontend", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

const result = sass.compile(join(root, "frontend", "scss", "application.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
});
mkdirSync(join(build, "css"), { recursive: true });
writeFileSync(join(build, "css", "application.css"), result.css);

copy(join(govuk, "govuk-frontend.min.js"), join(build, "js", "govuk-frontend.min.js"));
copy(join(root, "frontend", "js", "application.mjs"), join(build, "js", "application.mjs"));
copy(join(root, "frontend", "images", "favicon.svg"), join(build, "images", "favicon.svg"));
console.log(`frontend: wrote ${build}`);
