"""common.virus_scan against a real clamd (with the test signatures in tests/data/clamav)
and against sockets where no clamd answers properly."""

import io
import socket
import threading

import pytest

from common import virus_scan
from tests.trackers import hostile_files


@pytest.fixture
def clamav_at(settings):
    """Point settings.CLAMAV at a socket path or a host and port."""

    def point(*, socket_path: str = "", host: str = "", port: int = 3310) -> None:
        settings.CLAMAV = {"SOCKET": socket_path, "HOST": host, "PORT": port, "TIMEOUT": 5}

    return point


@pytest.fixture
def fake_clamd(tmp_path):
    """A unix socket that reads one scan request and answers it with the given bytes (or
    hangs up without answering, given b"")."""

    def serve(answer: bytes) -> str:
        path = str(tmp_path / "fake-clamd.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(1)

        def answer_once() -> None:
            connection, _ = server.accept()
            with connection, server:
                received = b""
                while not received.endswith(b"\x00\x00\x00\x00"):
                    received += connection.recv(4096)
                connection.sendall(answer)

        threading.Thread(target=answer_once, daemon=True).start()
        return path

    return serve


def test_find_malware_not_configured_scans_nothing(clamav_at):
    clamav_at()

    found = virus_scan.find_malware(io.BytesIO(hostile_files.EICAR))

    assert (virus_scan.is_configured(), found) == (False, None)


def test_find_malware_names_the_signature_clamd_finds(clamd):
    found = virus_scan.find_malware(io.BytesIO(hostile_files.EICAR))

    assert found == "Eicar-Test-Signature-Body.UNOFFICIAL"


def test_find_malware_finds_eicar_in_a_compressed_stream_of_a_valid_pdf(clamd):
    found = virus_scan.find_malware(io.BytesIO(hostile_files.pdf_with_eicar_inside()))

    assert found == "Eicar-Test-Signature-Body.UNOFFICIAL"


def test_find_malware_clean_file_is_none(clamd):
    found = virus_scan.find_malware(io.BytesIO(hostile_files.payslip_pdf()))

    assert found is None


def test_find_malware_with_no_clamd_on_the_socket_is_unavailable(clamav_at, tmp_path):
    clamav_at(socket_path=str(tmp_path / "clamd.sock"))

    with pytest.raises(virus_scan.ScanUnavailable, match="Error 2 connecting"):
        virus_scan.find_malware(io.BytesIO(b"%PDF-1.4"))


def test_find_malware_with_no_clamd_on_the_port_is_unavailable(clamav_at):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    clamav_at(host="127.0.0.1", port=port)

    with pytest.raises(virus_scan.ScanUnavailable, match=f"connecting 127.0.0.1:{port}"):
        virus_scan.find_malware(io.BytesIO(b"%PDF-1.4"))


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (b"INSTREAM size limit exceeded. ERROR\n", "INSTREAM size limit exceeded"),
        (b"stream: Can't allocate memory ERROR\n", "'ERROR'"),
        (b"", "clamd answered {}"),
    ],
)
def test_find_malware_when_clamd_answers_an_error_or_nothing_is_unavailable(
    clamav_at, fake_clamd, answer, reason
):
    clamav_at(socket_path=fake_clamd(answer))

    with pytest.raises(virus_scan.ScanUnavailable, match=reason):
        virus_scan.find_malware(io.BytesIO(b"%PDF-1.4"))
