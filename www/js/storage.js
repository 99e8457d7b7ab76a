// What the page remembers in this browser, and nothing else: settings (language, mode, camera
// on or off) in localStorage, and imported files (a trust list) in IndexedDB. Nothing about a
// scanned certificate is ever stored. Storage may be refused (private mode, a full disk): the
// page then works as before and simply does not remember.

/** A remembered setting, or null. */
export function readStorage(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode): the choice is simply not remembered
  }
}

export function writeStorage(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not remembered; nothing else depends on it */
  }
}

const DB_NAME = 'dcc-verifier';
const STORE = 'settings';

function openDb() {
  return new Promise((resolve, reject) => {
    if (!('indexedDB' in self)) {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** A stored file's record (IndexedDB), or undefined; rejects when IndexedDB cannot be used. */
export const idbGet = (key) => withStore('readonly', (store) => store.get(key));
export const idbPut = (key, value) => withStore('readwrite', (store) => store.put(value, key));
export const idbDelete = (key) => withStore('readwrite', (store) => store.delete(key));
