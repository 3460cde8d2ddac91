// The export dialog: the whole conversation or the days between two dates, as a ZIP (the
// messages as JSON, a page to read offline, the pictures and files). A browser download cannot
// carry the Authorization header, so the dialog asks the server for a one-time link
// (POST …/export: good for one download, for a minute) and hands that to the browser, which
// saves the archive as it streams, without holding it in the page's memory.

import { h, toast } from '../dom.js';
import * as api from '../api.js';
import { openDialog } from './dialog-shell.js';

export function openExport(convId) {
  openDialog('export', 'Export conversation', (body) => {
    const today = isoDay(new Date());
    const radio = (id, value, checked) => h('input', { type: 'radio', name: 'export-range', id, value, checked, testid: id });
    const all = radio('export-all', 'all', true);
    const dated = radio('export-dated', 'dates', false);
    const from = h('input', { type: 'date', id: 'export-from', testid: 'export-from', max: today });
    const to = h('input', { type: 'date', id: 'export-to', testid: 'export-to', max: today, value: today });
    const days = h('div', { class: 'row export-days', hidden: true },
      h('label', { for: 'export-from' }, 'From'), from, h('label', { for: 'export-to' }, 'to'), to);
    const status = h('p', { class: 'form-error', role: 'alert', testid: 'export-error' });
    const done = h('p', { class: 'hint', 'aria-live': 'polite', testid: 'export-status' });
    const start = h('button', { type: 'submit', class: 'primary', testid: 'export-start' }, 'Download');
    const form = h('form', { class: 'stack', testid: 'export-form' },
      h('p', { class: 'hint' }, 'A ZIP file with the messages, a page to read them offline, and the pictures and files.'),
      h('fieldset', { class: 'stack export-range' },
        h('legend', {}, 'Messages'),
        h('label', { class: 'export-choice' }, all, ' All messages'),
        h('label', { class: 'export-choice' }, dated, ' Sent between two dates'),
        days),
      status, start, done);
    const choose = () => { days.hidden = !dated.checked; };
    all.addEventListener('change', choose);
    dated.addEventListener('change', choose);

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      status.textContent = '';
      done.textContent = '';
      const range = {};
      if (dated.checked) {
        // Days as the person sees them, in their own time zone; "to" is the end of that day.
        if (from.value) range.from = startOfDay(from.value, 0).toISOString();
        if (to.value) range.to = startOfDay(to.value, 1).toISOString();
        if (!range.from && !range.to) { status.textContent = 'Choose at least one date.'; return; }
        if (range.from && range.to && range.from >= range.to) {
          status.textContent = 'The first date must not be after the second.';
          return;
        }
      }
      start.disabled = true;
      try {
        const link = await api.createExport(convId, range);
        download(api.apiUrl(`api/exports/${encodeURIComponent(link.ticket)}`).href);
        done.textContent = 'Your download has started.';
        toast('Export started');
      } catch (err) {
        status.textContent = err.status === 429
          ? `Too many exports just now. Try again in ${err.retryAfter || 60} seconds.`
          : err.message || 'The export could not be started.';
      } finally {
        start.disabled = false;
      }
    });
    body.append(form);
  });
}

/** The browser saves what the link answers (Content-Disposition: attachment); the page stays. */
function download(href) {
  const link = h('a', { href, download: '', hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

const isoDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Local midnight of a yyyy-mm-dd day, plus some days. */
function startOfDay(day, plusDays) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays);
}
