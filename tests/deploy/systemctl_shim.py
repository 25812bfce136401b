#!/usr/bin/python3
# A stand-in for systemctl in the package test's throwaway root, where systemd is not PID 1.
# It is NOT systemd: it runs a unit's ExecStart= the way the unit says, as far as a plain process
# can: as its User=/Group= (with the user's groups), with its UMask=, EnvironmentFile=,
# ConditionPathExists=, NoNewPrivileges= and its SystemCallFilter= applied with seccomp
# (python3-seccomp; the syscall groups are expanded by `systemd-analyze syscall-filter`, so the
# filter is the one systemd would build). Type=notify is honoured: start returns once the service
# sent READY=1 on $NOTIFY_SOCKET, and fails if it exits first. Not emulated: capability bounding
# (the collector runs as an unprivileged user anyway), namespacing (ProtectSystem=, PrivateTmp=,
# ...), StateDirectory= beyond creating it, resource limits; tests/deploy/verify_units.sh checks
# the units with systemd-analyze verify.
#
# Verbs: start, stop, restart, enable [--now], disable, is-active, is-enabled, status,
# daemon-reload. Units are read from /lib/systemd/system; state lives in /run/systemctl-shim.
import glob
import os
import pwd
import grp
import signal
import socket
import subprocess
import sys
import time

import seccomp

UNIT_DIRS = ["/etc/systemd/system", "/lib/systemd/system"]
STATE = "/run/systemctl-shim"
WANTS = "/etc/systemd/system/multi-user.target.wants"


def parse_unit(name):
    for d in UNIT_DIRS:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            break
    else:
        sys.exit(f"systemctl (test shim): unit {name} not found")
    unit = {}
    section = None
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        unit.setdefault(key, []).append(value)
    return unit


def syscall_groups():
    out = subprocess.run(["systemd-analyze", "syscall-filter"], check=True, capture_output=True,
                         text=True).stdout
    groups, current = {}, None
    for line in out.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if not line.startswith(" "):
            current = groups.setdefault(s, [])
        elif current is not None:
            current.append(s)
    return groups


def expand(names, groups, seen=None):
    seen = set() if seen is None else seen
    out = set()
    for n in names:
        if n.startswith("@"):
            if n in seen:
                continue
            seen.add(n)
            out |= expand(groups.get(n, []), groups, seen)
        else:
            out.add(n)
    return out


def seccomp_filter(lines):
    """SystemCallFilter= lines -> (allowed syscalls) as systemd computes them."""
    groups = syscall_groups()
    allowed = None
    for line in lines:
        deny = line.startswith("~")
        names = line.lstrip("~").split()
        if deny:
            if allowed is None:
                raise SystemExit("systemctl (test shim): deny-list-first filters not supported")
            allowed -= expand(names, groups)
        else:
            allowed = (allowed or set()) | expand(names, groups)
    # What systemd always permits so that a process can exec and exit.
    allowed |= {"execve", "exit", "exit_group", "getrlimit", "rt_sigreturn", "sigreturn"}
    return allowed


def apply_seccomp(allowed):
    def apply():
        f = seccomp.SyscallFilter(seccomp.KILL_PROCESS)
        for name in sorted(allowed):
            try:
                f.add_rule(seccomp.ALLOW, name)
            except (RuntimeError, ValueError, OSError):
                pass  # not a syscall on this architecture
        f.load()  # sets no_new_privs too, as NoNewPrivileges=yes does
    return apply


def pid_of(name):
    try:
        pid = int(open(os.path.join(STATE, name + ".pid")).read())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    # A zombie left by a detached child counts as gone.
    try:
        if open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z":
            return None
    except OSError:
        return None
    return pid


def env_of(unit):
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
    files = []
    for f in unit.get("EnvironmentFile", []):
        optional = f.startswith("-")
        f = f.lstrip("-")
        matches = sorted(glob.glob(f))  # systemd takes wildcards here too
        if not matches and not optional:
            sys.exit(f"systemctl (test shim): EnvironmentFile {f} is missing")
        files += matches
    for f in files:
        for line in open(f):
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, _, v = line.partition("=")
                env[k.strip()] = v.strip().strip('"')
    return env


def start(name):
    if pid_of(name):
        return 0
    unit = parse_unit(name)
    for cond in unit.get("ConditionPathExists", []):
        if not os.path.exists(cond):
            print(f"systemctl (test shim): {name}: condition failed: {cond} does not exist",
                  file=sys.stderr)
            return 0  # systemd skips the unit, start succeeds
    for d in unit.get("StateDirectory", []):
        path = "/var/lib/" + d
        os.makedirs(path, exist_ok=True)
        mode = int(unit.get("StateDirectoryMode", ["0755"])[-1], 8)
        os.chmod(path, mode)
        user = unit.get("User", ["root"])[-1]
        os.chown(path, pwd.getpwnam(user).pw_uid, grp.getgrnam(unit.get("Group", [user])[-1]).gr_gid)
    env = env_of(unit)
    argv = []
    for word in unit["ExecStart"][-1].split():
        if word.startswith("$"):
            argv += env.get(word[1:], "").split()
        else:
            argv.append(word)
    user = unit.get("User", ["root"])[-1]
    group = unit.get("Group", [pwd.getpwnam(user).pw_name if user != "root" else "root"])[-1]
    extra = [g for line in unit.get("SupplementaryGroups", []) for g in line.split()]
    pw = pwd.getpwnam(user)
    groups = [g.gr_gid for g in grp.getgrall() if user in g.gr_mem] + \
        [grp.getgrnam(g).gr_gid for g in extra]
    os.makedirs(STATE, exist_ok=True)
    notify_path = os.path.join(STATE, name + ".notify")
    if os.path.exists(notify_path):
        os.unlink(notify_path)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    os.chmod(notify_path, 0o777)
    env["NOTIFY_SOCKET"] = notify_path
    log = open(os.path.join(STATE, name + ".log"), "ab")
    preexec = None
    if unit.get("SystemCallFilter"):
        preexec = apply_seccomp(seccomp_filter(unit["SystemCallFilter"]))
        with open(argv[0], "rb") as exe:
            if b"__asan_init" in exe.read():
                # The suite's sanitizer build: LeakSanitizer stops the process's threads with
                # ptrace at exit, which the unit's filter forbids (the process would hang there).
                # Everything else of the filter applies; leaks are checked by the other tests.
                env["ASAN_OPTIONS"] = "detect_leaks=0"
                print(f"systemctl (test shim): {name}: sanitizer build, leak check off under "
                      "the unit's system-call filter", file=sys.stderr)
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            user=pw.pw_uid, group=grp.getgrnam(group).gr_gid,
                            extra_groups=groups, umask=int(unit.get("UMask", ["0022"])[-1], 8),
                            preexec_fn=preexec, start_new_session=True, cwd="/")
    open(os.path.join(STATE, name + ".pid"), "w").write(str(proc.pid))
    if unit.get("Type", ["simple"])[-1] != "notify":
        return 0
    notify.settimeout(0.5)
    while True:  # as systemd does: wait for READY=1, or the process's death
        try:
            if b"READY=1" in notify.recv(4096).split(b"\n"):
                return 0
        except socket.timeout:
            pass
        code = proc.poll()
        if code is not None:
            how = f"signal {-code}" if code < 0 else f"status {code}"
            print(f"systemctl (test shim): {name} exited with {how} before it was ready; "
                  f"see {STATE}/{name}.log", file=sys.stderr)
            return 1


def stop(name):
    pid = pid_of(name)
    if not pid:
        return 0
    os.kill(pid, signal.SIGTERM)
    while pid_of(name):
        time.sleep(0.05)
    return 0


def main(args):
    args = [a for a in args
            if a not in ("--system", "--quiet", "-q", "--no-pager", "--no-block", "--no-legend")]
    if not args:
        return 0
    if args[0] == "--version":
        print("systemd 252 (test shim)")
        return 0
    verb, now = args[0], "--now" in args[1:]
    if verb == "list-units":
        return 0
    units = [u if "." in u else u + ".service" for u in args[1:] if not u.startswith("-")]
    if verb in ("daemon-reload", "reset-failed"):
        return 0
    rc = 0
    for u in units:
        if verb == "start":
            rc |= start(u)
        elif verb == "stop":
            rc |= stop(u)
        elif verb in ("restart", "try-restart", "reload-or-restart"):
            if verb == "try-restart" and not pid_of(u):
                continue
            stop(u)
            rc |= start(u)
        elif verb == "is-active":
            rc |= 0 if pid_of(u) else 3
        elif verb == "is-enabled":
            enabled = os.path.exists(os.path.join(WANTS, u))
            print("enabled" if enabled else "disabled")
            rc |= 0 if enabled else 1
        elif verb == "enable":
            os.makedirs(WANTS, exist_ok=True)
            if not os.path.exists(os.path.join(WANTS, u)):
                os.symlink("/lib/systemd/system/" + u, os.path.join(WANTS, u))
            if now:
                rc |= start(u)
        elif verb == "disable":
            if os.path.lexists(os.path.join(WANTS, u)):
                os.unlink(os.path.join(WANTS, u))
            if now:
                stop(u)
        elif verb == "status":
            pid = pid_of(u)
            print(f"{u}: " + (f"active (running), pid {pid} (test shim)" if pid else "inactive"))
            rc |= 0 if pid else 3
        else:
            print(f"systemctl (test shim): '{verb}' is not emulated", file=sys.stderr)
            return 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
