/** Implementation details of the core module; not exported, not API, may change at any time. */
@NullMarked
package dev.mailverify.core.internal;

import org.jspecify.annotations.NullMarked;
