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

// GOV.UK Frontend asks this function for the URL of every image it draws. The only one it draws is
// the royal crest in the footer, which is not ours to use (docs/decisions/0004): it compiles to
// `none`, so no reference to an image we do not ship reaches the CSS (Django's manifest storage
// refuses such a reference at collectstatic, which is what the production image runs). Any other
// image a GOV.UK Frontend upgrade starts to draw stops the build here, to be decided on, rather
// than at deployment.
const refusedImages = new Set(["govuk-crest.svg"]);
function imageUrl([filename]) {
  const name = filename.assertString("filename").text;
  if (refusedImages.has(name)) {
    return new sass.SassString("none", { quotes: false });
  }
  throw new Error(
    `GOV.UK Frontend now draws the image ${name}, which frontend/build.mjs does not ship: ` +
      "copy it into frontend/build and return its URL, or refuse it as the crest is refused.",
  );
}

const result = sass.compile(join(root, "frontend", "scss", "application.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  functions: { "capability-image-url($filename)": imageUrl },
});
mkdirSync(join(build, "css"), { recursive: true });
writeFileSync(join(build, "css", "application.css"), result.css);

copy(join(govuk, "govuk-frontend.min.js"), join(build, "js", "govuk-frontend.min.js"));
copy(join(root, "frontend", "js", "application.mjs"), join(build, "js", "application.mjs"));
copy(join(root, "frontend", "js", "passkeys.mjs"), join(build, "js", "passkeys.mjs"));
copy(join(root, "frontend", "images", "favicon.svg"), join(build, "images", "favicon.svg"));
console.log(`frontend: wrote ${build}`);
