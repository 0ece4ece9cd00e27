// node wpapi_client.mjs BASE_URL: drives hcms's /wp-json with the real `wpapi`
// client (the library WordPress front ends use), against a server that holds the
// 1,000-post WordPress export. Prints "N passed, M failed"; exits 1 on failure.
// With WP_AUTH=user:application-password it also creates, updates and deletes.
import WPAPI from "wpapi";

const base = process.argv[2];
const wp = new WPAPI({ endpoint: `${base}/wp-json` });
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

await check("list posts, 10 per page, with WordPress's paging headers", async () => {
  const posts = await wp.posts().perPage(10);
  assert(posts.length === 10, `got ${posts.length}`);
  assert(posts._paging.total === 1000, `total ${posts._paging.total}`);
  assert(posts._paging.totalPages === 100, `pages ${posts._paging.totalPages}`);
  assert(posts._paging.next, "no next page");
  for (const p of posts) {
    assert(typeof p.id === "number" && p.title && typeof p.title.rendered === "string", "shape");
    assert(p.status === "publish", `status ${p.status}`);
  }
});

await check("paginate: page 2 through the client's next link, then back", async () => {
  const first = await wp.posts().perPage(5);
  const second = await first._paging.next;
  assert(second.length === 5, `got ${second.length}`);
  assert(second[0].id !== first[0].id, "same page twice");
  assert(new Date(second[0].date_gmt) <= new Date(first[4].date_gmt), "not newest first");
  const back = await second._paging.prev;
  assert(back[0].id === first[0].id, "prev is not page 1");
});

await check("get one post by id", async () => {
  const list = await wp.posts().perPage(1);
  const one = await wp.posts().id(list[0].id);
  assert(one.id === list[0].id && one.slug === list[0].slug, "mismatch");
  assert(one.content.rendered.length > 1000, "content too short");
});

await check("filter by category and by tag", async () => {
  const cats = await wp.categories().perPage(100);
  const cat = cats.find((c) => c.count > 0);
  assert(cat, "no category with posts");
  const inCat = await wp.posts().categories(cat.id).perPage(100);
  assert(inCat._paging.total === cat.count, `category total ${inCat._paging.total} != ${cat.count}`);
  for (const p of inCat) assert(p.categories.includes(cat.id), "post outside the category");
  const tags = await wp.tags().perPage(5);
  const tagged = await wp.posts().tags(tags[0].id);
  for (const p of tagged) assert(p.tags.includes(tags[0].id), "post without the tag");
});

await check("search (accents folded)", async () => {
  const found = await wp.posts().search("jabuticaba");
  assert(found._paging.total > 50, `only ${found._paging.total}`);
});

await check("slug, include, exclude, order, author, after/before", async () => {
  const list = await wp.posts().perPage(3);
  const bySlug = await wp.posts().slug(list[1].slug);
  assert(bySlug.length === 1 && bySlug[0].id === list[1].id, "slug");
  const inc = await wp.posts().include([list[0].id, list[2].id]);
  assert(inc.length === 2, "include");
  const exc = await wp.posts().exclude(list[0].id).perPage(1);
  assert(exc[0].id !== list[0].id, "exclude");
  const asc = await wp.posts().order("asc").orderby("date").perPage(1);
  assert(new Date(asc[0].date_gmt) < new Date(list[0].date_gmt), "order asc");
  const byAuthor = await wp.posts().author(list[0].author).perPage(1);
  assert(byAuthor[0].author === list[0].author, "author");
  const before = await wp.posts().before(new Date("2022-01-01T00:00:00Z")).perPage(100);
  for (const p of before) assert(new Date(p.date_gmt + "Z") < new Date("2022-01-01T00:00:00Z"), "before");
});

await check("_fields and _embed", async () => {
  const slim = await wp.posts().perPage(2).param("_fields", "id,title");
  assert(Object.keys(slim[0]).sort().join() === "id,title", Object.keys(slim[0]).join());
  const embedded = await wp.posts().perPage(1).embed();
  assert(embedded[0]._embedded && embedded[0]._embedded.author, "no embedded author");
  assert(Array.isArray(embedded[0]._embedded["wp:term"]), "no embedded terms");
});

await check("pages, users, search endpoint", async () => {
  const pages = await wp.pages().perPage(100);
  assert(pages.length === 20, `pages ${pages.length}`);
  const users = await wp.users();
  assert(users.length >= 1, "no users");
  const results = await wp.search().search("jabuticaba");
  assert(results.length > 0 && results[0].url, "search endpoint");
});

await check("WordPress errors keep their shape", async () => {
  try {
    await wp.posts().id(99999999);
    throw new Error("no error");
  } catch (e) {
    assert(e.code === "rest_post_invalid_id" && e.data && e.data.status === 404, JSON.stringify(e));
  }
  try {
    await wp.posts().perPage(500);
    throw new Error("no error");
  } catch (e) {
    assert(e.code === "rest_invalid_param", JSON.stringify(e));
  }
});

const auth = process.env.WP_AUTH;
if (!auth) {
  await check("writes need credentials", async () => {
    try {
      await wp.posts().create({ title: "x", content: "y", status: "draft" });
      throw new Error("created without credentials");
    } catch (e) {
      // The API layer answers 401 before WordPress's handler runs (problem+json).
      assert((e.data && e.data.status === 401) || e.status === 401, JSON.stringify(e));
    }
  });
} else {
  const [username, password] = [auth.slice(0, auth.indexOf(":")), auth.slice(auth.indexOf(":") + 1)];
  const authed = new WPAPI({ endpoint: `${base}/wp-json`, username, password });
  await check("create, update and delete a draft with an application password", async () => {
    const created = await authed.posts().create({ title: "Rascunho", content: "<p>x</p>", status: "draft" });
    assert(created.id && created.status === "draft", "create");
    const updated = await authed.posts().id(created.id).update({ title: "Rascunho 2" });
    assert(updated.title.rendered === "Rascunho 2", "update");
    const deleted = await authed.posts().id(created.id).param("force", true).delete();
    assert(deleted.deleted === true, "delete");
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
