# Sourced by the PyTorch oracle scripts: Debian's python3-torch (installed when missing), vl built in Release,
# $root (the repository), $VL (the command) and a fresh working folder $work, made the current folder.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import torch' 2>/dev/null || apt-get install -y python3-torch >/dev/null
dotnet build "$root/src/VerifyLandscape.Cli" -c Release >/dev/null
VL="dotnet $root/src/VerifyLandscape.Cli/bin/Release/net10.0/vl.dll"
work=$(mktemp -d); cd "$work"
