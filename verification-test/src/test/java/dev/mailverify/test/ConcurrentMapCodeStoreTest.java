package dev.mailverify.test;

import dev.mailverify.core.spi.CodeStore;

/** The README's own store passes the store kit: what a user writes, checked here. */
class ConcurrentMapCodeStoreTest extends CodeStoreContract {
  @Override
  protected CodeStore createStore() {
    return new ConcurrentMapCodeStore();
  }

  @Override
  protected String dump(CodeStore store) {
    return ((ConcurrentMapCodeStore) store).dump();
  }
}
