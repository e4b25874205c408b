/**
 * What the xen module's parsers share: {@link dev.midplane.xen.text.ParseFailedException}, thrown
 * with the source, line, column and line text whenever a config file or a toolstack's output is
 * not what its parser accepts. Parsers in this module never return a partial result.
 */
@MidplaneStyle
package dev.midplane.xen.text;

import dev.midplane.core.MidplaneStyle;
