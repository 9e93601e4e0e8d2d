"""Photos in the editor over real HTTP: multipart uploads through
src/media into the item, caption, credit and alt text, order, removal,
refused images with their message in the form, CSRF and roles, the audit
log, and uploads over upload_max_mb answered 413."""

import os
import re
import sys
import uuid

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prtest  # noqa: E402
import primages  # noqa: E402
import test_admin as ta  # noqa: E402


def multipart(fields, files):
    """(content type, body) of a multipart/form-data form; files are
    (field, filename, bytes)."""
    boundary = "pr" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n%s\r\n" % (boundary, k, v)).encode())
    for k, name, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: "
                    "application/octet-stream\r\n\r\n" % (
                        boundary, k, name)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return "multipart/form-data; boundary=" + boundary, b"".join(out)


def upload(b, item_id, files, csrf=None, **fields):
    fields = dict(fields)
    fields["csrf"] = csrf if csrf is not None else b.csrf()
    ctype, body = multipart(fields, files)
    st, h, data = b.srv.post("/admin/items/%d/photos" % item_id, body,
                             b._headers({"Content-Type": ctype}))
    return st, h, data.decode("utf-8", "replace")


def raw_post(srv, b, path, ctype, body):
    """POSTs body over a socket of its own: the server may answer and
    close before reading it all."""
    import socket
    head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\n"
            "Content-Length: %d\r\nCookie: %s\r\nConnection: close\r\n"
            "\r\n" % (path, ctype, len(body), b._headers()["Cookie"]))
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    data = b""
    try:
        try:
            s.sendall(head.encode() + body)
        except OSError:
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(m.group(1)) if m else 0), data.decode("utf-8", "replace")


def photo_ids(b, item_id):
    st, _, body = b.get("/admin/items/%d" % item_id)
    assert st == 200
    return [int(x) for x in re.findall(
        r'name="photo" value="(\d+)"', body)], body


def site():
    d = ta.new_site()
    with open(os.path.join(d, "pressroom.conf"), "a") as f:
        f.write("upload_max_mb = 1\n")
    return d


def test_upload_edit_order_delete():
    d = site()
    one = primages.make("jpeg", 800, 500)
    two = primages.make("png", 640, 480)
    with ta.server(d) as srv:
        b = ta.Browser(srv)
        b.login("ann")
        item = ta.create(b, "With photos")
        st, h, body = upload(b, item, [("photo", "one.jpg", one)],
                             caption="First <b>caption</b>",
                             credit="Ann", alt="A gradient")
        assert st == 303, (st, body[-800:])
        st, _, body = upload(b, item, [("photo", "two.png", two)])
        assert st == 303, (st, body[-800:])
        ids, page = photo_ids(b, item)
        assert len(ids) == 2, page[-2000:]
        assert "First &lt;b&gt;caption&lt;/b&gt;" in page
        assert "/media/r/" in page
        # the same file again changes nothing
        st, _, _ = upload(b, item, [("photo", "again.jpg", one)])
        assert st == 303
        assert photo_ids(b, item)[0] == ids
        # move the second up: it becomes the lead photo
        b.form("/admin/items/%d/photos/edit" % item,
               {"photo": ids[1], "action": "up"}, expect=303)
        assert photo_ids(b, item)[0] == [ids[1], ids[0]]
        b.form("/admin/items/%d/photos/edit" % item,
               {"photo": ids[1], "action": "save", "caption": "Second",
                "credit": "Bob", "alt": "Grey"}, expect=303)
        _, page = photo_ids(b, item)
        assert 'value="Second"' in page and 'value="Bob"' in page
        b.form("/admin/items/%d/photos/edit" % item,
               {"photo": ids[0], "action": "delete"}, expect=303)
        assert photo_ids(b, item)[0] == [ids[1]]
        # a photo of another item is not this item's
        other = ta.create(b, "Other")
        st, _, _ = b.form("/admin/items/%d/photos/edit" % other,
                          {"photo": ids[1], "action": "delete"})
        assert st == 404
    r = prtest.run(["audit"], data=d, check=0)
    assert r.out.count("photo-add") == 2, r.out
    assert "photo-move" in r.out and "photo-edit" in r.out
    assert "photo-delete" in r.out
    prtest.run(["check"], data=d, check=0)


def test_bad_images_are_refused_in_the_form():
    d = site()
    with ta.server(d) as srv:
        b = ta.Browser(srv)
        b.login("ann")
        item = ta.create(b, "Bad photos")
        cases = [
            (b"%PDF-1.4 not an image", "not an image"),
            (primages.make("tiff", 64, 64), "TIFF"),
            (primages.make("jpeg", 400, 300)[:600], "refused"),
        ]
        for data, words in cases:
            st, _, body = upload(b, item, [("photo", "bad.bin", data)])
            assert st == 400, (st, body[-800:])
            assert 'role="alert"' in body and words in body, body[-3000:]
            assert "bad.bin" in body
        st, _, body = upload(b, item, [])
        assert st == 400 and "Choose an image" in body
        assert photo_ids(b, item)[0] == []
        # nothing of a refused upload stays on disk
        orig = os.path.join(d, "media", "orig")
        files = [f for _, _, fs in os.walk(orig) for f in fs] \
            if os.path.isdir(orig) else []
        assert files == [], files


def test_csrf_roles_and_limits():
    d = site()
    jpeg = primages.make("jpeg", 320, 200)
    with ta.server(d) as srv:
        ann, bob = ta.Browser(srv), ta.Browser(srv)
        ann.login("ann")
        bob.login("bob")
        item = ta.create(ann, "Ann's item")
        st, _, _ = upload(ann, item, [("photo", "a.jpg", jpeg)],
                          csrf="0" * 64)
        assert st == 403
        st, _, _ = upload(bob, item, [("photo", "a.jpg", jpeg)])
        assert st == 403
        ctype, big = multipart({"csrf": ann.csrf()}, [
            ("photo", "big.jpg", b"\xff" * (1200 * 1024))])
        st, body = raw_post(srv, ann, "/admin/items/%d/photos" % item,
                            ctype, big)
        assert st == 413 and "larger than 1 MB" in body, (st, body[-500:])
        # no session: to the login page, nothing stored
        ctype, body = multipart({"csrf": "x"}, [("photo", "a.jpg", jpeg)])
        st, h, _ = srv.post("/admin/items/%d/photos" % item, body,
                            {"Content-Type": ctype})
        assert st == 303 and "/admin/login" in h["Location"]
        assert photo_ids(ann, item)[0] == []


if __name__ == "__main__":
    prtest.main(globals())
