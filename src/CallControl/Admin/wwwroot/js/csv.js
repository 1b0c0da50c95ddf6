// The CSV download: fetched with the token (a plain link could not send it), then saved under a dated name.
import { api } from './api.js';
import { errorBox } from './dom.js';

export async function saveCsv(filters, button, status) {
  button.disabled = true;
  status.replaceChildren('Preparing CSV…');
  try {
    const blob = await api.csv(filters);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `calls-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    // The download has taken the blob by now; free it a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.replaceChildren(`CSV saved (${(blob.size / 1024).toFixed(1)} KiB).`);
  } catch (e) {
    status.replaceChildren(errorBox(e));
  } finally {
    button.disabled = false;
  }
}
