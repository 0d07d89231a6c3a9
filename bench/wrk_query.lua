-- wrk script for `hashrl serve`: POST /query with either a random database id (JSON) or the
-- bytes of one image file. Set by the environment:
--   HASHRL_QUERY=id     HASHRL_DB_SIZE=N   random ids in [0, N)
--   HASHRL_QUERY=image  HASHRL_IMAGE=FILE  the same image every time
--   HASHRL_QUERY=add    HASHRL_IMAGE=FILE  POST /items: the image added again and again (label 1)
local mode = os.getenv("HASHRL_QUERY") or "id"
local db_size = tonumber(os.getenv("HASHRL_DB_SIZE") or "1000")
local image

if mode == "image" or mode == "add" then
  local file = assert(io.open(os.getenv("HASHRL_IMAGE"), "rb"))
  image = file:read("*all")
  file:close()
end

request = function()
  if mode == "image" then
    return wrk.format("POST", "/query?k=10", { ["Content-Type"] = "image/png" }, image)
  end
  if mode == "add" then
    return wrk.format("POST", "/items?labels=1", { ["Content-Type"] = "image/png" }, image)
  end
  local body = string.format('{"id": %d, "k": 10}', math.random(0, db_size - 1))
  return wrk.format("POST", "/query", { ["Content-Type"] = "application/json" }, body)
end
