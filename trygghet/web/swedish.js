// Swedish words for the texts that Streamlit's own widgets write in English and have no setting for
// (the file uploader, the multiselect, the date picker's calendar, the skip link, the status and
// "Page not found" dialogs). Mounted once per page by trygghet/web/ui.py as a custom component; runs in the
// page, needs nothing from the internet, and rewrites only texts that are exactly one of these.

const EXACT = {
  "Drag and drop a file here": "Dra och släpp en fil här",
  "Drag and drop files here": "Dra och släpp filer här",
  "Upload": "Välj fil",
  "Add files": "Lägg till filer",
  "Browse files": "Välj fil",
  "Upload failed": "Uppladdningen misslyckades",
  "Error:": "Fel:",
  "Error": "Fel",
  "Warning:": "Varning:",
  "Click to retry upload": "Klicka för att försöka igen",
  "Only one file is allowed.": "Bara en fil åt gången.",
  "Too many files": "För många filer",
  "File size is too small.": "Filen är för liten.",
  "Unexpected error. Please try again.": "Något gick fel. Försök igen.",
  "Select all": "Välj alla",
  "No results": "Inga träffar",
  "No options to select": "Det finns inget att välja",
  "No options to select.": "Det finns inget att välja.",
  "Choose an option": "Välj",
  "Choose options": "Välj",
  "Clear all": "Rensa alla",
  "Selected values": "Valda värden",
  "Multiselect options": "Val",
  "Selectbox options": "Val",
  "Page not found": "Sidan finns inte",
  "Skip to main content": "Hoppa till sidans innehåll",
  "Running...": "Arbetar …",
  "Stop": "Stoppa",
  "Close": "Stäng",
  "Cancel": "Avbryt",
  "Connecting": "Ansluter",
  "Please wait...": "Vänta …",
  "Open": "Öppna",
  "Delete": "Ta bort",
  "(opens in new tab)": "(öppnas i en ny flik)",
  "Choose date": "Välj datum",
  "Use arrow keys to navigate dates. Enter to select. Escape to close.":
    "Piltangenterna flyttar mellan datum, Enter väljer och Escape stänger.",
  "Previous month": "Föregående månad",
  "Next month": "Nästa månad",
  "Sidebar": "Sidomeny",
  "Collapse sidebar": "Fäll ihop sidomenyn",
  "Expand sidebar": "Fäll ut sidomenyn",
  "Main menu": "Meny",
  "Link to heading": "Länk till rubriken",
  "Clear value": "Rensa valet",
  "file upload": "filuppladdning",
  "add icon": "lägg till",
  "Show/hide columns": "Visa eller dölj kolumner",
  "Download as CSV": "Ladda ner som CSV",
  "Search": "Sök",
  "Fullscreen": "Helskärm",
  "Close fullscreen": "Stäng helskärm",
  "month": "månad",
  "year": "år",
};

const PATTERNS = [
  [/^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file$/, (_, n, u) => `Högst ${size(n, u)} per fil`],
  [/^File must be (\d+(?:\.\d+)?)\s?(B|KB|MB|GB) or smaller\.$/,
   (_, n, u) => `Filen är större än ${size(n, u)} och kan inte laddas upp här.`],
  [/^File is larger than (\d+(?:\.\d+)?)\s?(B|KB|MB|GB)$/, (_, n, u) => `Filen är större än ${size(n, u)}`],
  [/^(.+) files are not allowed\.$/, (_, t) => `Filer av typen ${t} tas inte emot.`],
  [/^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB)$/, (_, n, u) => size(n, u)],
  [/^Select (\d+) matches$/, (_, n) => `Välj ${n} träffar`],
  [/^You can only select up to (\d+) options?\. Remove an option first\.$/,
   (_, n) => `Du kan välja högst ${n}. Ta bort ett val först.`],
  [/^Choose date, (.+)$/, (_, t) => `Välj datum, ${t}`],
  [/^year, (.+)$/, (_, t) => `år, ${t}`],
  [/^month, (.+)$/, (_, t) => `månad, ${t}`],
  [/^day, (.+)$/, (_, t) => `dag, ${t}`],
  [/^Help for (.+)$/, (_, t) => `Hjälp om ${t}`],
  [/^(.+), (\d+(?:\.\d+)?)\s?(B|KB|MB|GB)$/, (_, t, n, u) => `${t}, ${size(n, u)}`],
  [/^Remove (.+)$/, (_, t) => `Ta bort ${t}`],
  [/^Cancel upload of (.+)$/, (_, t) => `Avbryt uppladdningen av ${t}`],
  [/^The page that you have requested does not seem to exist\. Running the app's main page\.$/,
   () => "Sidan som du bad om finns inte. Startsidan visas i stället."],
  [/^You have requested page \/(.*) but no corresponding file was found in the app's pages\/ directory\. Running the app's main page\.$/,
   (_, p) => `Sidan /${p} finns inte. Startsidan visas i stället.`],
];

// Only inside a calendar: month and weekday names (the text "May" or "Mo" elsewhere is left alone).
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
const MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
  "oktober", "november", "december"];
const WEEKDAYS = { Su: "sö", Mo: "må", Tu: "ti", We: "on", Th: "to", Fr: "fr", Sa: "lö" };
const CALENDAR = "[data-testid='stDateInputCalendar'], [data-testid='stDateInput'], [role='listbox']";

function size(number, unit) {
  const value = unit === "B" ? String(Math.round(Number(number))) : number.replace(/\.0$/, "").replace(".", ",");
  return unit === "B" ? `${value} byte` : `${value} ${unit === "KB" ? "kB" : unit}`;
}

function inCalendar(element) {
  return element && element.closest && element.closest(CALENDAR);
}

const MONTH_NAME = new RegExp(`\\b(${MONTHS.join("|")})\\b`, "g");

function calendarText(text) {
  if (WEEKDAYS[text]) return WEEKDAYS[text];
  const named = text.replace(MONTH_NAME, (month) => MONTHS_SV[MONTHS.indexOf(month)]);
  return named === text ? undefined : named;
}

function swedish(text, calendar = false) {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let result = EXACT[trimmed];
  if (result === undefined && calendar) result = calendarText(trimmed);
  if (result === undefined) {
    for (const [pattern, replace] of PATTERNS) {
      if (pattern.test(trimmed)) { result = trimmed.replace(pattern, replace); break; }
    }
  }
  if (result === undefined || result === trimmed) return null;
  return text.replace(trimmed, result);
}

const ATTRIBUTES = ["placeholder", "aria-label", "aria-valuetext", "title"];

function translateText(node) {
  const result = swedish(node.nodeValue, inCalendar(node.parentElement));
  if (result !== null) node.nodeValue = result;
}

function translateElement(element) {
  for (const name of ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value) {
      const result = swedish(value, inCalendar(element));
      if (result !== null) element.setAttribute(name, result);
    }
  }
}

function translateTree(root) {
  if (root.nodeType === Node.TEXT_NODE) { translateText(root); return; }
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  translateElement(root);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === Node.TEXT_NODE) translateText(node); else translateElement(node);
  }
}

export default function () {
  if (window.__trygghetSwedish) return;  // one observer per page, however often the component renders
  window.__trygghetSwedish = true;
  document.documentElement.lang = "sv";
  // The date fields and calendars name months and weekdays in the browser's language: make it Swedish
  // whatever the browser's setting, and tell them (they listen for "languagechange").
  for (const [name, value] of [["language", "sv-SE"], ["languages", ["sv-SE", "sv"]]]) {
    Object.defineProperty(navigator, name, { get: () => value, configurable: true });
  }
  window.dispatchEvent(new Event("languagechange"));
  translateTree(document.body);
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "characterData") translateText(mutation.target);
      else if (mutation.type === "attributes") translateElement(mutation.target);
      else mutation.addedNodes.forEach(translateTree);
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
}
