#!/usr/bin/env bash
# Runs the cross-built warden-agent.exe under wine64 and checks what `check --json` prints:
# exit 0, valid JSON, host facts with a host name / OS / machine GUID, network facts with at least
# one non-loopback adapter that has a MAC and an address (what Wine exposes from the Linux host),
# USB storage history seeded into the registry (`wine reg add` under Enum\USBSTOR and Enum\USB,
# as Windows leaves it after a drive was plugged in before the agent was installed) showing up in
# the usb facts with VID/PID, serial and arrival times, the antivirus and patches probes answering
# with the APIs' own error texts where Wine lacks the API, and hygiene: the screen lock judged from
# screen-saver values seeded with `wine reg add` (user setting, then a machine policy overriding
# it), Remote Desktop and AutoRun facts following seeded values, and the honest errors of the
# hygiene APIs Wine 8 lacks (INetFwPolicy2 profile state, NetShareEnum, NetUserEnum levels 1/3),
# USB block mode's removable-storage deny policy written and removed (`wine reg query`), the
# wireless facts as Wine's wlanapi answers, and Chinese output under LANG=zh_CN.UTF-8.
#
# Usage: tests/windows/agent_exe_test.sh [warden-agent.exe]
#        (default: build-windows/agent/warden-agent.exe, built by deploy/windows/build.sh)
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXE=${1:-$SRC/build-windows/agent/warden-agent.exe}
[ -f "$EXE" ] || { echo "agent_exe_test: $EXE missing (run deploy/windows/build.sh)" >&2; exit 1; }
WINE=""
for w in wine64 wine /usr/lib/wine/wine64; do
  if command -v "$w" >/dev/null 2>&1; then WINE=$(command -v "$w"); break; fi
done
[ -n "$WINE" ] || { echo "agent_exe_test: SKIP: no wine64" >&2; exit 77; }

TMP=$(mktemp -d /tmp/warden-agent-exe-test.XXXXXX)
export WINEPREFIX="$TMP/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
  "$(command -v wineserver || echo /usr/lib/wine/wineserver64)" -k >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# A PC that never saw a USB drive (no Enum\USBSTOR key): the usb domain answers, with no devices.
timeout 300 "$WINE" "$EXE" check --json >"$TMP/out0.json" 2>"$TMP/err0.txt" || { echo "agent_exe_test: FAIL: check without USB history" >&2; tail -20 "$TMP/err0.txt" >&2; exit 1; }
python3 -c 'import json, sys; u = json.load(open(sys.argv[1]))["facts"]["usb"]; sys.exit(0 if u == [] else f"agent_exe_test: FAIL: usb facts without USB history: {u!r}")' "$TMP/out0.json"
# A fresh Wine profile sets no screen saver, no Remote Desktop and no AutoRun value: the screen
# does not lock, Remote Desktop is unknown (Windows' default: off), AutoRun has Windows' default.
python3 - "$TMP/out0.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
hy = out["facts"]["hygiene"]
lock = [f for f in out["findings"] if f["check"] == "host.screen_lock"]
problems = []
if len(lock) != 1 or lock[0]["status"] != "fail" or lock[0]["summary_key"] != "lock_disabled":
    problems.append(f"host.screen_lock without screen-saver values: {lock!r}")
if hy.get("screen_lock", {}).get("sources") != []:
    problems.append(f"screen_lock sources without values: {hy.get('screen_lock')!r}")
if hy.get("remote_desktop") != {"enabled": None, "source": ""}:
    problems.append(f"remote_desktop without values: {hy.get('remote_desktop')!r}")
if hy.get("autorun", {}).get("removable_disabled") is not False:
    problems.append(f"autorun without values: {hy.get('autorun')!r}")
if problems:
    sys.exit("agent_exe_test: FAIL (unseeded hygiene):\n  " + "\n  ".join(problems))
PY

# USB storage history, as Windows records it (HKLM\SYSTEM\CurrentControlSet\Enum): a Kingston
# drive with its USB parent (VID/PID by serial) and its first-install / last-arrival properties
# (DEVPKEY_Device_FirstInstallDate 0065, LastArrivalDate 0066: 8-byte FILETIMEs), and a drive
# without a serial (Windows made up the instance ID "7&...").
filetime() { python3 -c "import sys,struct; print(struct.pack('<Q', int(sys.argv[1])).hex())" "$1"; }
ENUM='HKLM\SYSTEM\CurrentControlSet\Enum'
KINGSTON="$ENUM\USBSTOR\Disk&Ven_Kingston&Prod_DataTraveler_3.0&Rev_PMAP\60A44C413A8CF1A0B9470040&0"
PROPS="$KINGSTON\Properties\{83da6326-97a6-4088-9453-a1923f573b29}"
reg() { timeout 120 "$WINE" reg add "$@" /f >/dev/null 2>>"$TMP/reg.txt" || { echo "agent_exe_test: FAIL: wine reg add $1" >&2; cat "$TMP/reg.txt" >&2; exit 1; }; }
reg "$KINGSTON" /v FriendlyName /t REG_SZ /d "Kingston DataTraveler 3.0 USB Device"
reg "$PROPS\0065" /ve /t REG_BINARY /d "$(filetime 133444356120000000)"  # 2023-11-14T11:40:12Z
reg "$PROPS\0066" /ve /t REG_BINARY /d "$(filetime 133445220120000000)"  # 2023-11-15T11:40:12Z
reg "$ENUM\USB\VID_0951&PID_1666\60A44C413A8CF1A0B9470040" /v Service /t REG_SZ /d USBSTOR
reg "$ENUM\USBSTOR\Disk&Ven_&Prod_USB_DISK_2.0&Rev_PMAP\7&2a1b3c4d&0" /v FriendlyName /t REG_SZ /d "USB DISK 2.0 USB Device"
# Hygiene values as a user and an administrator leave them: the user's screen saver (secure, 5
# minutes, a .scr set), Remote Desktop allowed, AutoRun off for every drive type (machine policy).
reg 'HKCU\Control Panel\Desktop' /v ScreenSaveActive /t REG_SZ /d 1
reg 'HKCU\Control Panel\Desktop' /v ScreenSaverIsSecure /t REG_SZ /d 1
reg 'HKCU\Control Panel\Desktop' /v ScreenSaveTimeOut /t REG_SZ /d 300
reg 'HKCU\Control Panel\Desktop' /v SCRNSAVE.EXE /t REG_SZ /d 'C:\windows\system32\scrnsave.scr'
reg 'HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server' /v fDenyTSConnections /t REG_DWORD /d 0
reg 'HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer' /v NoDriveTypeAutoRun /t REG_DWORD /d 255
# A state directory (check uses it only when it exists): the usb module remembers the sweep time.
mkdir -p "$WINEPREFIX/drive_c/warden-test-state"

set +e
timeout 300 "$WINE" "$EXE" check --json --state-dir 'C:\warden-test-state' >"$TMP/out.json" 2>"$TMP/err.txt"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "agent_exe_test: FAIL: exit $rc; stderr:" >&2
  tail -20 "$TMP/err.txt" >&2
  exit 1
fi
python3 -m json.tool "$TMP/out.json" >/dev/null || { echo "agent_exe_test: FAIL: not JSON" >&2; head -c 2000 "$TMP/out.json" >&2; exit 1; }

python3 - "$TMP/out.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
facts, findings = out["facts"], out["findings"]
problems = []
host = facts.get("host", {})
if "error" in host:
    problems.append(f"host probe failed: {host['error']}")
for field in ("hostname", "os_id", "os_name", "os_version", "arch", "machine_id"):
    if not host.get(field):
        problems.append(f"host.{field} is empty")
if host.get("os_id") != "windows":
    problems.append(f"host.os_id is {host.get('os_id')!r}, not 'windows'")
net = facts.get("network", {})
if "error" in net:
    problems.append(f"network probe failed: {net['error']}")
real = [i for i in net.get("interfaces", [])
        if i.get("kind") != "loopback" and i.get("mac") and i.get("addresses")]
if not real:
    problems.append("no non-loopback adapter with a MAC and an address")
if not net.get("hostname"):
    problems.append("network.hostname is empty")
by_check = {}
for f in findings:
    by_check.setdefault(f["check"], []).append(f)
for check in ("net.unauthorized_interface", "net.internet_egress"):
    for f in by_check.get(check, []):
        if f["status"] == "error":
            problems.append(f"{check} is error: {f.get('summary')}")
def domain_findings(prefixes):
    return [f for f in findings if f["check"].startswith(prefixes)]

# Antivirus: Wine 8 has no Security Center (CLSID_WSCProductList is not registered: REGDB_E_CLASSNOTREG),
# no ROOT\SecurityCenter2 and no ROOT\Microsoft\Windows\Defender WMI namespace
# (WBEM_E_INVALID_NAMESPACE), so the probe must fail with those APIs' own error texts and every
# av.* check be an honest error. A Wine that grows them must give product facts instead.
av = facts.get("antivirus")
if isinstance(av, dict) and "error" in av:
    for needle in ("WSCProductList", "SecurityCenter2", "Defender", "HRESULT 0x"):
        if needle not in av["error"]:
            problems.append(f"antivirus error does not name {needle}: {av['error']!r}")
    if "no Windows probe" in av["error"]:
        problems.append("antivirus still reports the missing-probe error")
    if any(f["status"] != "error" for f in domain_findings("av.")):
        problems.append("antivirus failed but an av.* finding is not error")
    av_note = "antivirus: error (no WSC/SecurityCenter2/Defender WMI in Wine)"
elif isinstance(av, list):
    av_note = f"antivirus: {len(av)} products"
else:
    problems.append(f"antivirus facts: {av!r}")
    av_note = "?"
# Patches: Wine's wuapi implements the UpdateSession object but IUpdateSearcher::Search is E_NOTIMPL:
# an honest error naming the call; a real answer would be a dict without "error". (The probe reads
# the installed hotfixes through WMI ROOT\CIMV2 Win32_QuickFixEngineering and the reboot keys
# before it searches, so this error also says those succeeded under Wine.)
pt = facts.get("patches", {})
if "error" in pt:
    if "IUpdateSearcher" not in pt["error"] or "HRESULT 0x" not in pt["error"]:
        problems.append(f"patches error does not name the WUA call: {pt['error']!r}")
    if "no Windows probe" in pt["error"]:
        problems.append("patches still reports the missing-probe error")
    if any(f["status"] != "error" for f in domain_findings("patch.")):
        problems.append("patches failed but a patch.* finding is not error")
    pt_note = "patches: error (WUA Search not implemented in Wine)"
else:
    pt_note = f"patches: {pt.get('pending')} pending"
# USB: the seeded registry history, linked to its VID/PID, with the arrival times; no USB device is
# present under Wine (SetupAPI lists none), and the checks run (not error).
usb = facts.get("usb")
if not isinstance(usb, list):
    problems.append(f"usb facts are not a device list: {usb!r}")
    usb = []
hist = [d for d in usb if d.get("history")]
king = [d for d in hist if d.get("serial") == "60A44C413A8CF1A0B9470040"]
if len(king) != 1:
    problems.append(f"the seeded Kingston drive is not in the usb history: {hist!r}")
else:
    k = king[0]
    want = {"vendor_id": "0951", "product_id": "1666", "manufacturer": "Kingston",
            "product": "DataTraveler 3.0", "class": "storage", "storage": True, "present": False,
            "source": "usbstor", "first_seen": "2023-11-14T11:40:12Z",
            "last_seen": "2023-11-15T11:40:12Z"}
    for key, value in want.items():
        if k.get(key) != value:
            problems.append(f"usb history Kingston {key} is {k.get(key)!r}, not {value!r}")
noserial = [d for d in hist if d.get("product") == "USB DISK 2.0"]
if len(noserial) != 1 or noserial[0].get("serial") != "":
    problems.append(f"the drive without a serial is not in the history with an empty serial: {noserial!r}")
for f in domain_findings("usb."):
    if f["status"] == "error":
        problems.append(f"{f['check']} is error: {f.get('summary')}")
# Hygiene. The seeded screen saver locks after 300 s (within the 600 s default limit), read from the
# user's hive; Remote Desktop and AutoRun follow the seeded values.
hy = facts.get("hygiene", {})
if "error" in hy:
    problems.append(f"hygiene module failed as a whole: {hy['error']!r}")
sl = hy.get("screen_lock", {})
if sl.get("desktop") != "windows" or sl.get("idle_delay_seconds") != 300 or sl.get("lock_enabled") is not True:
    problems.append(f"screen_lock after seeding: {sl!r}")
if not any(s.startswith("HKU\\S-1-5-21-") and s.endswith("\\Control Panel\\Desktop") for s in sl.get("sources", [])):
    problems.append(f"screen_lock sources do not name the user's hive: {sl.get('sources')!r}")
lock = by_check.get("host.screen_lock", [{}])[0]
if lock.get("status") != "pass" or lock.get("summary_key") != "locks":
    problems.append(f"host.screen_lock after seeding: {lock!r}")
rdp = hy.get("remote_desktop", {})
if rdp.get("enabled") is not True or "Terminal Server" not in rdp.get("source", ""):
    problems.append(f"remote_desktop after fDenyTSConnections=0: {rdp!r}")
ar = hy.get("autorun", {})
if ar.get("no_drive_type_autorun") != 255 or not ar.get("removable_disabled") or len(ar.get("disabled_for", [])) != 7:
    problems.append(f"autorun after NoDriveTypeAutoRun=255: {ar!r}")
# What Wine 8 lacks, each an honest error naming the call (a Wine that grows it must answer):
# INetFwPolicy2::get_CurrentProfileTypes is E_NOTIMPL (hnetcfg keeps no firewall state);
# NetShareEnum is ERROR_NOT_SUPPORTED (Wine has no server service); NetUserEnum implements only
# level 0 (names, no flags or password ages): levels 3 and 1 are ERROR_INVALID_LEVEL.
hy_notes = []
for group, check_ids, needles in (
        ("firewall", ["host.firewall"], ["INetFwPolicy2", "HRESULT 0x"]),
        ("shares", ["host.shared_folders"], ["NetShareEnum", "Win32 error"]),
        ("accounts", ["auth.password_max_age", "auth.empty_password"], ["NetUserEnum level 3", "NetUserEnum level 1"])):
    g = hy.get(group, {})
    if "error" in g:
        for needle in needles:
            if needle not in g["error"]:
                problems.append(f"hygiene {group} error does not name {needle}: {g['error']!r}")
        for cid in check_ids:
            f = by_check.get(cid, [{}])[0]
            if f.get("status") != "error" or g["error"] not in f.get("summary", ""):
                problems.append(f"{cid}: {group} failed but the finding is {f!r}")
        hy_notes.append(f"{group}: error")
    else:
        for cid in check_ids:
            if by_check.get(cid, [{}])[0].get("status") == "error":
                problems.append(f"{cid} is error although its facts were read: {g!r}")
        hy_notes.append(f"{group}: answered")
missing = [f for f in findings if f["status"] == "error"]
if problems:
    print("agent_exe_test: FAIL:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"agent_exe_test: host {host['hostname']!r} {host['os_name']!r} {host['os_version']} "
      f"{host['arch']}; {len(net['interfaces'])} adapters, {len(real)} with MAC+address "
      f"({', '.join(i['name'] + ' ' + i['mac'] for i in real)}); "
      f"{len(findings)} findings, {len(missing)} error")
print(f"agent_exe_test: hygiene: screen lock {lock.get('summary')!r}; RDP enabled {rdp.get('enabled')}; "
      f"AutoRun off for {ar.get('disabled_for')}; {', '.join(hy_notes)}")
print(f"agent_exe_test: {av_note}; {pt_note}; usb: {len(usb)} devices, {len(hist)} from USBSTOR "
      f"history ({', '.join((d.get('manufacturer', '') + ' ' + d.get('product', '')).strip() + ' serial ' + repr(d.get('serial')) + ' last ' + str(d.get('last_seen')) for d in hist).strip()})")
PY
# A second sweep with the same state directory: a drive that arrived since the first one (a new
# USBSTOR instance whose last arrival is now) is judged by usb.unregistered_storage, the history
# from before the first sweep is not.
sleep 1
reg "$ENUM\USBSTOR\Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00\4C530001230516116523&0" /v FriendlyName /t REG_SZ /d "SanDisk Cruzer Blade USB Device"
reg "$ENUM\USBSTOR\Disk&Ven_SanDisk&Prod_Cruzer_Blade&Rev_1.00\4C530001230516116523&0\Properties\{83da6326-97a6-4088-9453-a1923f573b29}\0066" \
  /ve /t REG_BINARY /d "$(filetime "$(python3 -c 'import time; print(int((time.time() + 11644473600) * 10**7))')")"
reg "$ENUM\USB\VID_0781&PID_5567\4C530001230516116523" /v Service /t REG_SZ /d USBSTOR
# A machine policy over the user's setting: 30 minutes is too long, and locked for users. Remote
# Desktop denied by policy.
reg 'HKLM\Software\Policies\Microsoft\Windows\Control Panel\Desktop' /v ScreenSaveTimeOut /t REG_SZ /d 1800
reg 'HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services' /v fDenyTSConnections /t REG_DWORD /d 1
set +e
timeout 300 "$WINE" "$EXE" check --json --state-dir 'C:\warden-test-state' >"$TMP/out2.json" 2>"$TMP/err2.txt"
rc=$?
set -e
[ "$rc" -eq 0 ] || { echo "agent_exe_test: FAIL: second check exit $rc" >&2; tail -20 "$TMP/err2.txt" >&2; exit 1; }
python3 - "$TMP/out2.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
f = [x for x in out["findings"] if x["check"] == "usb.unregistered_storage"]
problems = []
if len(f) != 1 or f[0]["status"] != "fail":
    problems.append(f"usb.unregistered_storage after a new arrival: {f!r}")
else:
    serials = [d.get("serial") for d in f[0]["evidence"].get("unregistered", [])]
    if serials != ["4C530001230516116523"]:
        problems.append(f"unregistered after the second sweep: {serials!r}, expected only the new SanDisk")
    print(f"agent_exe_test: second sweep: {f[0]['status']}: {f[0]['summary']}")
lock = [x for x in out["findings"] if x["check"] == "host.screen_lock"]
if len(lock) != 1 or lock[0]["status"] != "fail" or lock[0]["summary_key"] != "too_long" \
        or lock[0]["evidence"].get("idle_delay_seconds") != 1800:
    problems.append(f"host.screen_lock under a 1800 s machine policy: {lock!r}")
elif "HKLM\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop" not in lock[0]["evidence"].get("sources", []):
    problems.append(f"the machine policy is not among the sources: {lock[0]['evidence']!r}")
else:
    print(f"agent_exe_test: second sweep: host.screen_lock {lock[0]['status']}: {lock[0]['summary']}")
rdp = out["facts"]["hygiene"].get("remote_desktop", {})
if rdp.get("enabled") is not False or "Policies" not in rdp.get("source", ""):
    problems.append(f"remote_desktop under a denying policy: {rdp!r}")
if problems:
    print("agent_exe_test: FAIL:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
PY

# Wi-Fi and hotspots (agent/network/windows/wlan_probe.cpp) as Wine 8 answers: WlanOpenHandle and
# WlanEnumInterfaces succeed with no adapter, WlanHostedNetworkQueryStatus is a stub
# (ERROR_CALL_NOT_IMPLEMENTED, 120), and there is no Mobile Hotspot service (icssvc), which is not
# an error. A Wine that grows these answers makes this fail, to be looked at.
python3 - "$TMP/out.json" <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))["facts"]["network"]
got = (n.get("wlan"), n.get("hotspots"), n.get("wireless_errors"))
want = ([], [], ["WlanHostedNetworkQueryStatus: Call not implemented. (Win32 error 120)"])
if got != want:
    print(f"agent_exe_test: FAIL: wireless facts under Wine: {got!r}, expected {want!r}", file=sys.stderr)
    sys.exit(1)
print("agent_exe_test: wireless: no WLAN adapter, hosted network: ERROR_CALL_NOT_IMPLEMENTED, no icssvc (Wine 8)")
PY

# Chinese: under a zh_CN locale (Wine passes LANG to the Windows environment; on Windows the
# user's locale, GetUserDefaultLocaleName) `check` prints the Linux agent's Chinese, from the same
# embedded catalogue (common/i18n/mo_catalog.hpp), as UTF-8.
LANG=zh_CN.UTF-8 timeout 300 "$WINE" "$EXE" check >"$TMP/zh.txt" 2>/dev/null ||
  { echo "agent_exe_test: FAIL: check under LANG=zh_CN.UTF-8" >&2; exit 1; }
python3 - "$TMP/zh.txt" <<'PY'
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")  # not UTF-8: an exception, the test fails
last = text.strip().splitlines()[-1]
if not re.fullmatch(r"共 \d+ 项检查，\d+ 项不通过", last) or "通过" not in text or "错误" not in text:
    print(f"agent_exe_test: FAIL: no Chinese under LANG=zh_CN.UTF-8: {text[-400:]!r}", file=sys.stderr)
    sys.exit(1)
print(f"agent_exe_test: zh_CN: {last}")
PY

# USB block mode, the removable-storage deny policy (agent/usb/removable_storage_policy.hpp): with
# the collector's policy cached in the state directory saying block and no drive registered, the
# sweep writes Deny_Read/Deny_Write for the removable disk class and its marker; back in audit
# mode it removes them, but not an administrator's own Deny_All. Read back with `wine reg query`.
STATE="$WINEPREFIX/drive_c/warden-test-state"
RSD='HKLM\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices'
DISK="$RSD\{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}"
regq() { timeout 120 "$WINE" reg query "$@" 2>/dev/null | tr -d '\r'; }
sweep() {  # sweep NAME POLICY-JSON
  printf '%s\n' "$2" >"$STATE/policy.json"
  timeout 300 "$WINE" "$EXE" check --json --state-dir 'C:\warden-test-state' >"$TMP/$1.json" 2>"$TMP/$1.txt" ||
    { echo "agent_exe_test: FAIL: check ($1) exit $?" >&2; tail -20 "$TMP/$1.txt" >&2; exit 1; }
}
deny_evidence() {
  python3 -c 'import json, sys
f = [x for x in json.load(open(sys.argv[1]))["findings"] if x["check"] == "usb.unregistered_storage"]
print(json.dumps(f[0]["evidence"].get("removable_storage_policy"), sort_keys=True))' "$1"
}
sweep block '{"version": 3, "usb": {"mode": "block"}}'
regq "$DISK" >"$TMP/deny.txt" || { echo "agent_exe_test: FAIL: block mode wrote no $DISK" >&2; cat "$TMP/block.txt" >&2; exit 1; }
grep -qE 'Deny_Read +REG_DWORD +0x1$' "$TMP/deny.txt" && grep -qE 'Deny_Write +REG_DWORD +0x1$' "$TMP/deny.txt" ||
  { echo "agent_exe_test: FAIL: block mode: $(cat "$TMP/deny.txt")" >&2; exit 1; }
regq 'HKLM\SOFTWARE\Warden\Agent' /v RemovableStorageDenyWritten | grep -qE 'REG_DWORD +0x1$' ||
  { echo "agent_exe_test: FAIL: no marker for the agent's deny policy" >&2; exit 1; }
ev=$(deny_evidence "$TMP/block.json")
case "$ev" in *'"action": "written"'*'"denied": true'*'"written_by_agent": true'*) ;;
  *) echo "agent_exe_test: FAIL: block mode evidence: $ev" >&2; exit 1 ;; esac
# An administrator's own Deny_All, then audit mode (a newer policy): the agent's values go, the
# administrator's stays.
reg "$RSD" /v Deny_All /t REG_DWORD /d 1
sweep audit '{"version": 4, "usb": {"mode": "audit"}}'
if regq "$DISK" /v Deny_Read >/dev/null || regq "$DISK" /v Deny_Write >/dev/null ||
   regq 'HKLM\SOFTWARE\Warden\Agent' /v RemovableStorageDenyWritten >/dev/null; then
  echo "agent_exe_test: FAIL: audit mode left the agent's deny values: $(regq "$DISK")" >&2; exit 1
fi
regq "$RSD" /v Deny_All | grep -qE 'REG_DWORD +0x1$' ||
  { echo "agent_exe_test: FAIL: audit mode removed the administrator's Deny_All" >&2; exit 1; }
ev2=$(deny_evidence "$TMP/audit.json")
case "$ev2" in *'"action": "removed"'*'"deny_all": 1'*'"written_by_agent": false'*) ;;
  *) echo "agent_exe_test: FAIL: audit mode evidence: $ev2" >&2; exit 1 ;; esac
echo "agent_exe_test: usb block mode: deny policy written ($ev), removed in audit mode, the administrator's Deny_All kept"
echo "agent_exe_test: PASS"
