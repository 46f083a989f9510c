// The sidebar's lists: the stats (with their kinds and units, ticked when plotted) and the
// files (a click plots only that file), from the JSON API's index.
import { baseName, describe } from './values.js';

/** A stat of `/stats/?detail=1`: its label, kind and unit. @typedef {{ label: string, kind: string, unit: string }} StatDetail */
/** The answer of `/files/`. @typedef {{ files: string[], errors: { file: string, code: string, message: string }[] }} FileList */

/**
 * Whether `label` matches what is typed in the search box: a case-insensitive substring, so
 * the cost is linear in the label whatever is typed; an empty search matches everything.
 *
 * @param {string} label
 * @param {string} search - trimmed and lower-cased (see {@link normalSearch})
 */
export function matchesSearch(label, search) {
  return search === '' || label.toLowerCase().includes(search);
}

/**
 * The search box's text as {@link matchesSearch} takes it.
 *
 * @param {string} text
 */
export function normalSearch(text) {
  return text.trim().toLowerCase();
}

/**
 * Lists the stats that match `search`, each with a checkbox that calls `toggle`.
 *
 * @param {HTMLElement} list
 * @param {readonly StatDetail[]} stats
 * @param {string} search
 * @param {(label: string) => boolean} isSelected
 * @param {(label: string, selected: boolean) => void} toggle
 */
export function renderStatList(list, stats, search, isSelected, toggle) {
  list.replaceChildren(
    ...stats
      .filter((stat) => matchesSearch(stat.label, search))
      .map((stat) => {
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = isSelected(stat.label);
        box.addEventListener('change', () => toggle(stat.label, box.checked));
        const text = document.createElement('span');
        text.textContent = stat.label;
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = describe(stat.kind, stat.unit);
        const row = document.createElement('label');
        row.append(box, text, meta);
        const item = document.createElement('li');
        item.append(row);
        return item;
      }),
  );
}

/**
 * Lists the files, each a button that calls `pick` with its name, then the files that could
 * not be read with their error codes.
 *
 * @param {HTMLElement} list
 * @param {FileList} files
 * @param {(name: string) => void} pick
 */
export function renderFileList(list, files, pick) {
  const items = files.files.map((path) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = baseName(path);
    button.title = `${path}\nclick: plot only this file`;
    button.addEventListener('click', () => pick(baseName(path)));
    const item = document.createElement('li');
    item.append(button);
    return item;
  });
  for (const bad of files.errors) {
    const item = document.createElement('li');
    item.className = 'bad';
    item.textContent = `${baseName(bad.file)}: ${bad.code}`;
    item.title = bad.message;
    items.push(item);
  }
  list.replaceChildren(...items);
}
