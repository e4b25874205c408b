package dev.midplane.ssh;

import dev.midplane.core.MidplaneException;
import java.io.IOException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remote files through small commands on the SSH session, for servers without SFTP (a bare
 * dropbear): {@code stat -c}, {@code readlink}, {@code find -mindepth 1 -maxdepth 1 -print0},
 * {@code cat}, {@code dd conv=fsync}, {@code mkdir}, {@code rm}/{@code rmdir}, {@code mv},
 * {@code cp -p}, {@code chmod}, {@code chown}, {@code touch}. Every option used exists in GNU
 * coreutils and in busybox. Paths travel as argv words (quoted once by {@link RemoteExec}); the
 * few {@code sh -c} scripts are constants that take paths as positional parameters, never as
 * text.
 */
final class CommandFileBackend implements FileBackend {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** $1 file, $2 mode (new | truncate | existing), $3 sync (sync | nosync); content on stdin. */
  static final String WRITE_SCRIPT = """
      case $2 in
        new) set -C; : > "$1" || exit 1;;
        existing) [ -f "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit 1; };;
      esac
      if [ "$3" = sync ]; then exec dd of="$1" bs=65536 conv=fsync status=none; fi
      exec dd of="$1" bs=65536 status=none
      """;

  /** $1 file: fsync without changing it. */
  static final String SYNC_SCRIPT = """
      [ -e "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit 1; }
      exec dd if=/dev/null of="$1" conv=notrunc,fsync status=none
      """;

  static final String DELETE_SCRIPT = """
      if [ -d "$1" ] && [ ! -L "$1" ]; then exec rmdir -- "$1"; fi
      if [ ! -e "$1" ] && [ ! -L "$1" ]; then printf '%s: No such file or directory\\n' "$1" >&2; exit 1; fi
      exec rm -f -- "$1"
      """;

  /**
   * $1 from, $2 to, $3 replace | noreplace, $4 atomic | any. Exit 3: the move would cross file
   * systems, so it could not be one rename(2).
   */
  static final String RENAME_SCRIPT = """
      [ -e "$1" ] || [ -L "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit 1; }
      if [ -e "$2" ] || [ -L "$2" ]; then
        [ "$3" = replace ] || { printf '%s: File exists\\n' "$2" >&2; exit 1; }
        if [ -L "$2" ]; then
          rm -f -- "$2" || exit 1
        elif [ -d "$2" ]; then
          if [ -d "$1" ] && [ ! -L "$1" ]; then rmdir -- "$2" || exit 1
          else printf '%s: Is a directory\\n' "$2" >&2; exit 1; fi
        fi
      fi
      if [ "$4" = atomic ]; then
        a=$(stat -c %d -- "$1") || exit 1
        b=$(stat -c %d -- "$(dirname -- "$2")") || exit 1
        [ "$a" = "$b" ] || { printf '%s: not on the same file system as %s\\n' "$2" "$1" >&2; exit 3; }
      fi
      exec mv -f -- "$1" "$2"
      """;

  /** $1 from, $2 to, $3 replace | noreplace, $4 -p or -f (preserve attributes or not). */
  static final String COPY_SCRIPT = """
      [ -e "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit 1; }
      if [ -e "$2" ] || [ -L "$2" ]; then
        [ "$3" = replace ] || { printf '%s: File exists\\n' "$2" >&2; exit 1; }
        if [ -d "$2" ] && [ ! -L "$2" ]; then printf '%s: Is a directory\\n' "$2" >&2; exit 1; fi
        rm -f -- "$2" || exit 1
      fi
      exec cp "$4" -- "$1" "$2"
      """;

  /** $1 path, $2 the letters r, w, x wanted. */
  static final String ACCESS_SCRIPT = """
      [ -e "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit 1; }
      case $2 in *r*) [ -r "$1" ] || { printf '%s: Permission denied\\n' "$1" >&2; exit 1; };; esac
      case $2 in *w*) [ -w "$1" ] || { printf '%s: Permission denied\\n' "$1" >&2; exit 1; };; esac
      case $2 in *x*) [ -x "$1" ] || { printf '%s: Permission denied\\n' "$1" >&2; exit 1; };; esac
      exit 0
      """;

  static final String REALPATH_SCRIPT = """
      [ -e "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit 1; }
      exec readlink -f -- "$1"
      """;

  private final RemoteExec exec;

  CommandFileBackend(RemoteExec exec) {
    this.exec = exec;
  }

  @Override
  public String kind() {
    return "commands";
  }

  private RemoteExec.Raw call(String path, List<String> argv, byte[] stdin) throws IOException {
    try {
      return exec.run(argv, Map.of(), stdin, TIMEOUT);
    } catch (MidplaneException e) {
      throw FileErrors.transport(path, e);
    }
  }

  /** Runs and requires exit 0; otherwise the NIO exception the error text names. */
  private RemoteExec.Raw ok(String path, String other, List<String> argv, byte[] stdin) throws IOException {
    RemoteExec.Raw r = call(path, argv, stdin);
    if (r.exitCode() != 0) {
      throw FileErrors.fromText(path, other, r.stderrText().isBlank() ? "exit " + r.exitCode() : r.stderrText());
    }
    return r;
  }

  private RemoteExec.Raw ok(String path, List<String> argv) throws IOException {
    return ok(path, null, argv, new byte[0]);
  }

  private static List<String> script(String script, String... args) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    argv.addAll(List.of(args));
    return argv;
  }

  @Override
  public RemoteAttributes stat(String path, boolean followLinks) throws IOException {
    List<String> argv = followLinks
        ? List.of("stat", "-L", "-c", StatFormat.FORMAT, "--", path)
        : List.of("stat", "-c", StatFormat.FORMAT, "--", path);
    RemoteExec.Raw r = ok(path, argv);
    try {
      List<RemoteAttributes> all = StatFormat.parse(r.stdoutText());
      if (all.size() != 1) {
        throw new FileSystemException(path, null, "stat printed " + all.size() + " lines for one file");
      }
      return all.get(0);
    } catch (MidplaneException e) {
      FileSystemException fse = new FileSystemException(path, null, e.getMessage());
      fse.initCause(e);
      throw fse;
    }
  }

  @Override
  public String readLink(String path) throws IOException {
    RemoteExec.Raw r = call(path, List.of("readlink", "--", path), new byte[0]);
    if (r.exitCode() != 0) {
      // readlink says nothing about a file that is not a link; tell the two cases apart.
      RemoteAttributes a = stat(path, false);
      if (!a.isSymbolicLink()) {
        throw new NotLinkException(path);
      }
      throw FileErrors.fromText(path, null, r.stderrText().isBlank() ? "readlink failed" : r.stderrText());
    }
    String out = r.stdoutText();
    return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
  }

  @Override
  public List<String> list(String dir) throws IOException {
    String d = dir.endsWith("/") ? dir : dir + "/";
    RemoteExec.Raw r = ok(dir, List.of("find", d, "-mindepth", "1", "-maxdepth", "1", "-print0"));
    if (r.stdoutTruncated()) {
      throw new FileSystemException(dir, null, "directory listing exceeds the output bound");
    }
    List<String> names = new ArrayList<>();
    for (String entry : r.stdoutText().split("\0")) {
      if (!entry.isEmpty()) {
        names.add(entry.substring(entry.lastIndexOf('/') + 1));
      }
    }
    return names;
  }

  @Override
  public byte[] read(String path, int max) throws IOException {
    RemoteExec.Raw r = ok(path, List.of("cat", "--", path));
    if (r.stdoutTruncated() || r.stdout().length > max) {
      throw new FileSystemException(path, null, "file larger than the " + max + "-byte bound");
    }
    return r.stdout();
  }

  @Override
  public void write(String path, byte[] content, WriteMode mode, boolean sync) throws IOException {
    String m = switch (mode) {
      case CREATE_NEW -> "new";
      case CREATE_OR_TRUNCATE -> "truncate";
      case EXISTING -> "existing";
    };
    ok(path, null, script(WRITE_SCRIPT, path, m, sync ? "sync" : "nosync"), content);
  }

  @Override
  public void sync(String path) throws IOException {
    ok(path, script(SYNC_SCRIPT, path));
  }

  @Override
  public void createDirectory(String path, Set<PosixFilePermission> permissions) throws IOException {
    if (permissions == null) {
      ok(path, List.of("mkdir", "--", path));
    } else {
      ok(path, List.of("mkdir", "-m", Integer.toOctalString(RemoteAttributes.bits(permissions)), "--", path));
    }
  }

  @Override
  public void delete(String path) throws IOException {
    ok(path, script(DELETE_SCRIPT, path));
  }

  @Override
  public void rename(String from, String to, boolean replace, boolean atomic) throws IOException {
    RemoteExec.Raw r = call(from, script(RENAME_SCRIPT, from, to, replace ? "replace" : "noreplace",
        atomic ? "atomic" : "any"), new byte[0]);
    if (r.exitCode() == 3) {
      throw new AtomicMoveNotSupportedException(from, to, r.stderrText().strip());
    }
    if (r.exitCode() != 0) {
      String text = r.stderrText();
      // "File exists" and "Is a directory" are about the target; the rest about the source.
      boolean aboutTarget = text.contains(to + ": ");
      throw FileErrors.fromText(aboutTarget ? to : from, aboutTarget ? null : to, text);
    }
  }

  @Override
  public void copy(String from, String to, boolean replace, boolean copyAttributes) throws IOException {
    RemoteExec.Raw r = call(from, script(COPY_SCRIPT, from, to, replace ? "replace" : "noreplace",
        copyAttributes ? "-p" : "-f"), new byte[0]);
    if (r.exitCode() != 0) {
      String text = r.stderrText();
      boolean aboutTarget = text.contains(to + ": ");
      throw FileErrors.fromText(aboutTarget ? to : from, aboutTarget ? null : to, text);
    }
  }

  @Override
  public void setPermissions(String path, Set<PosixFilePermission> permissions) throws IOException {
    ok(path, List.of("chmod", Integer.toOctalString(RemoteAttributes.bits(permissions)), "--", path));
  }

  @Override
  public void setOwner(String path, String owner, String group) throws IOException {
    if (owner != null) {
      ok(path, List.of("chown", "--", owner, path));
    }
    if (group != null) {
      ok(path, List.of("chgrp", "--", group, path));
    }
  }

  @Override
  public void setTimes(String path, FileTime lastModified, FileTime lastAccess) throws IOException {
    if (lastModified != null) {
      ok(path, List.of("touch", "-c", "-m", "-d", "@" + lastModified.to(java.util.concurrent.TimeUnit.SECONDS), "--", path));
    }
    if (lastAccess != null) {
      ok(path, List.of("touch", "-c", "-a", "-d", "@" + lastAccess.to(java.util.concurrent.TimeUnit.SECONDS), "--", path));
    }
  }

  @Override
  public String realPath(String path) throws IOException {
    String out = ok(path, script(REALPATH_SCRIPT, path)).stdoutText();
    String p = out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    if (!p.startsWith("/")) {
      throw new NoSuchFileException(path, null, "readlink -f answered '" + p + "'");
    }
    return p;
  }

  @Override
  public void checkAccess(String path, Set<AccessMode> modes) throws IOException {
    StringBuilder want = new StringBuilder();
    modes.forEach(m -> want.append(switch (m) {
      case READ -> 'r';
      case WRITE -> 'w';
      case EXECUTE -> 'x';
    }));
    ok(path, script(ACCESS_SCRIPT, path, want.toString()));
  }
}
