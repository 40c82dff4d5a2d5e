package dev.mailverify.core.internal;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.test.CodeStoreContract;

/** The built-in store passes the compatibility kit. */
class InMemoryCodeStoreTest extends CodeStoreContract {
  @Override
  protected CodeStore createStore() {
    return CodeStore.inMemory();
  }

  @Override
  protected String dump(CodeStore store) {
    return ((InMemoryCodeStore) store).dump();
  }
}
