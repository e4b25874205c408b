package dev.midplane.xen.config;

/**
 * The two syntaxes of Xen domain config files.
 *
 * <ul>
 *   <li>{@link #XL}: xl.cfg(5) as read by libxlu — {@code key = value} settings (also
 *       {@code key += value} to extend a list), strings in single quotes (no escapes) or double
 *       quotes (C escapes), numbers, lists in brackets that may span lines and end with a comma,
 *       {@code #} comments, {@code ;} or a newline between settings. No Python, no booleans other
 *       than 1 and 0.
 *   <li>{@link #XM}: the Python files {@code xm create} executed. This SDK accepts the part of
 *       Python that is plain data — assignments of string, number, {@code True}/{@code False} and
 *       list literals, either quote style, triple quotes, {@code r}/{@code u} prefixes, adjacent
 *       literals, backslash continuations — and reports everything else (imports, conditionals,
 *       calls, {@code %} formatting, {@code +}, variables) as Python code with its line, because
 *       its value is only known by running it.
 * </ul>
 */
public enum Dialect {
  /** xl.cfg(5), the syntax of the xl toolstack (Xen 4.1 and later). */
  XL,
  /** The Python syntax of xm/xend configs (Xen 3.x and 4.0). */
  XM
}
