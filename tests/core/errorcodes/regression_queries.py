"""The regression set for issue 14: what players and creators really paste, with its source.

Written before the second edition of the search and knowledge base, from the sources in
``SOURCES`` (captured dialog tables, issue trackers, forum threads, news reports) and from
translations of those texts; ``AFTER_TUNING`` was written after the search was tuned and was
never used to tune it. ``test_regression.py`` checks the accuracy, and
``benchmarks/errorcodes_bench.py`` prints it.

Each query is ``(text, expected, kind, source)``. ``expected`` is the id that must come first,
or a tuple of ids for a text that several codes share: then any of them may come first, all
of them must be in the top three, and the result must say that the text is ambiguous.
"""

from __future__ import annotations

Expected = str | tuple[str, ...]
Query = tuple[str, Expected, str, str]

#: Where the texts come from. Keys are used in the fourth field of each query.
SOURCES: dict[str, str] = {
    "orangeblox": "EfazDev/orangeblox, RobloxFastFlagsInstaller.py, disconnect_code_list "
                  "(texts of captured disconnect dialogs)",
    "dissector": "Arisstath/roblox-dissector, packet 0x15 viewer: disconnectionReasons table "
                 "(old client texts for 257-273)",
    "decompiled": "decompiled old Roblox client, disconnect-reason function sub_165F3D0 "
                  "(public code found with find_string; texts for 257-285 and the fallback)",
    "connection-lua": "MaximumADHD/Roblox-Client-Tracker, scripts/CoreScripts/Connection.lua "
                      "(newest stored version, 2026)",
    "enum": "rojo-rbx/rbx-dom database.json 43d1f129 (engine 0.728): Enum.ConnectionError, "
            "via shared/facts/engine-enums.json",
    "facts": "shared/facts/error-codes.md (texts collected from the listed sources)",
    "cloud-errors": "Roblox/creator-docs content/en-us/cloud/reference/errors.md",
    "article": "the product's source article on decals (summarised in shared/facts)",
    "bloxstrap-206": "bloxstraplabs/bloxstrap#206 'error code 272'",
    "bloxstrap-480": "bloxstraplabs/bloxstrap#480 (client log with 'Sending disconnect with "
                     "reason: 285')",
    "bloxstrap-798": "bloxstraplabs/bloxstrap#798 (HTTP 503 from clientsettingscdn)",
    "bloxstrap-1130": "bloxstraplabs/bloxstrap#1130 'ERROR CODE 403 WHEN LAUNCHING FROM ROBLOX "
                      "WEBSITE'",
    "bloxstrap-1581": "bloxstraplabs/bloxstrap#1581 'I have a problem do you know the code "
                      "error 279'",
    "bloxstrap-1617": "bloxstraplabs/bloxstrap#1617 'Error Code 279'",
    "bloxstrap-2256": "bloxstraplabs/bloxstrap#2256 '[BUG] error code 277'",
    "bloxstrap-4226": "bloxstraplabs/bloxstrap#4226 (403 'an error was ancountered doring "
                      "authentication')",
    "bloxstrap-4591": "bloxstraplabs/bloxstrap#4591 ('error code 502(http error has occured)')",
    "bloxstrap-5214": "bloxstraplabs/bloxstrap#5214 ('error code 297')",
    "sober-1977": "vinegarhq/sober#1977 '262 ERROR EVERY TIME I ENTER A GAME' (client log)",
    "roshade-31": "bituq/Roshade#31 ('Lost connection due to an error (Error Code: 272)')",
    "zapret-8681": "Flowseal/zapret-discord-youtube#8681 (Russian: 277, 'Соединение потеряно')",
    "zapret-9646": "Flowseal/zapret-discord-youtube#9646 'Роблокс, Error Code: 279'",
    "zapret-10561": "Flowseal/zapret-discord-youtube#10561 (Russian post quoting the 279 text)",
    "zapret-12124": "Flowseal/zapret-discord-youtube#12124 'Ошибка 279'",
    "zapret-12288": "Flowseal/zapret-discord-youtube#12288 'roblox ошибка 277 на постоянке'",
    "zapret-14000": "Flowseal/zapret-discord-youtube#14000 (Russian post quoting the 279 text)",
    "devforum-703469": "devforum.roblox.com/t/703469 'Frequent server crashes with error code "
                       "277 in our group games'",
    "devforum-3140646": "devforum.roblox.com/t/3140646 'Servers randomly kicking players due "
                        "to \"The server has shut down\"'",
    "devforum-3154814": "devforum.roblox.com/t/3154814 'Servers are randomly suddenly closed "
                        "with all users recieving an Error 288'",
    "gamerurge-288": "gamerurge.com/?p=5048 (Error Code 288: 'The server has shut down')",
    "noping-403": "noping.com blog on error 403 ('An error was encountered during "
                  "authentication. Please try again.')",
    "uma-403": "umatechnology.org on error 403 ('Authentication Failed: HTTP 403')",
    "techtudo-400": "techtudo.com.br 2022-04 (Portuguese: 'erro 400', 'solicitação indevida')",
    "tecmundo-2021": "tecmundo.com.br 2021 outage report (Portuguese: 'conexão com servidor')",
    "elheraldo-504": "elheraldo.co 2025-12-19 outage report (Spanish: 'error 504', 'tiempo de "
                     "espera excesivo en la puerta de enlace')",
    "accio-502": "accio.com 2025-12 article on the Roblox '502 Bad Gateway' outage",
    "translation": "translation written for this set of a dialog text from the source named "
                   "after the colon (no Roblox translation found in any source)",
}

QUERIES: list[Query] = [
    # --- codes typed loosely ---------------------------------------------------------------
    ("279", "279", "number", "facts"),
    ("2 7 9", "279", "number", "facts"),
    ("2 6 7", "267", "number", "facts"),
    ("err267", "267", "number", "facts"),
    ("err277", "277", "number", "facts"),
    ("code:279", "279", "number", "facts"),
    ("code: 529", "529", "number", "facts"),
    ("#529", "529", "number", "facts"),
    ("ERROR CODE:773", "773", "number", "facts"),
    ("error code 2 7 7 keeps happening", "277", "number", "facts"),
    ("I have a problem do you know the code error 279", "279", "number", "bloxstrap-1581"),
    ("Error Code 279", "279", "number", "bloxstrap-1617"),
    ("[BUG] error code 277", "277", "number", "bloxstrap-2256"),
    ("error code 272", "272", "number", "bloxstrap-206"),
    ("I have been getting error code 297 its not related to my internet because the normal "
     "roblox works completely fine its with bloxstrap", "297", "number", "bloxstrap-5214"),
    ("262 ERROR EVERY TIME I ENTER A GAME", "262", "number", "sober-1977"),
    ("Frequent server crashes with error code 277 in our group games, without trace", "277",
     "number", "devforum-703469"),
    ("Servers are randomly suddenly closed with all users recieving an Error 288 disconnect "
     "message at an increasing frequency", "288", "number", "devforum-3154814"),
    ("Роблокс, Error Code: 279", "279", "number", "zapret-9646"),
    ("roblox ошибка 277 на постоянке", "277", "number", "zapret-12288"),
    ("Ошибка 279", "279", "number", "zapret-12124"),
    ("Вылеты из игр в Roblox. Иногда вылетает с ошибкой 277 (Соединение потеряно и т.д.)",
     "277", "number", "zapret-8681"),
    ("ERROR CODE 403 WHEN LAUNCHING FROM ROBLOX WEBSITE AND EXCEPTION OCCURED ERROR",
     "403-sign-in", "number", "bloxstrap-1130"),
    # --- codes inside URLs and log lines ------------------------------------------------------
    ("https://devforum.roblox.com/t/frequent-server-crashes-with-error-code-277-in-our-group-"
     "games-without-trace/703469", "277", "url", "devforum-703469"),
    ("https://devforum.roblox.com/t/servers-are-randomly-suddenly-closed-with-all-users-"
     "recieving-an-error-288-disconnect-message-at-an-increasing-frequency/3154814", "288",
     "url", "devforum-3154814"),
    ("2023-07-31T15:00:53.034Z,6.034400,1108,7 [FLog::Network] Sending disconnect with reason: "
     "285", "285", "log", "bloxstrap-480"),
    ("info: Roblox: 2026-05-07T22:47:15.124Z,5.124609,b37006c0,7 [FLog::Network] Disconnect "
     "reason received: 262", "262", "log", "sober-1977"),
    ("info: Roblox: 2026-05-07T22:47:14.749Z,4.749629,8b4206c0,6,Info [DFLog::NetworkClient] "
     "RbxTransport DummyClient will connect to server 128.116.1.33:53452\n"
     "info: Roblox: 2026-05-07T22:47:15.124Z,5.124609,b37006c0,7 [FLog::Network] Disconnect "
     "reason received: 262\ninfo: Roblox: 2026-05-07T22:47:15.134Z,5.134750,b37006c0,7 "
     "[FLog::Network] Connection lost", "262", "log", "sober-1977"),
    ("Bloxstrap.Exceptions.HttpResponseException: Could not connect to https://clientsettingscdn"
     ".roblox.com/v2/client-version/WindowsPlayer/channel/LIVE because it returned HTTP 503 "
     "(Service Unavailable)", "503", "log", "bloxstrap-798"),
    ("i get an error code 502(http error has occured) when i relaunched it", "502", "number",
     "bloxstrap-4591"),
    # --- several codes in one paste: the first one written comes first -------------------------
    ("first I got error 277, then pressing Reconnect gave Error Code: 769", "277", "multi",
     "connection-lua"),
    ("Disconnected (Error Code: 279) ... then later Join Error (Error Code: 529)", "279",
     "multi", "facts"),
    ("err 529 and sometimes err 279", "529", "multi", "facts"),
    # --- whole dialogs with their code ------------------------------------------------------
    ("Disconnected\nLost connection due to an error (Error Code: 272)\nLeave", "272", "dialog",
     "roshade-31"),
    ("This server has shut down (Error Code: 288).", "288", "dialog", "devforum-3140646"),
    ("Disconnected\nYou were kicked from this experience.\n(Error Code: 267)\nLeave", "267",
     "dialog", "orangeblox"),
    ("Disconnected\nPlease check your internet connection and try again.\n(Error Code: 277)\n"
     "Reconnect\nLeave", "277", "dialog", "orangeblox"),
    ("Teleport Failed\nGame's root place is not active. (Error Code: 770)\nOK", "770", "dialog",
     "orangeblox"),
    ("Join Error\nA Http error has occurred. Please close the client and try again. "
     "(Error Code: 529)\nRetry Cancel", "529", "dialog", "orangeblox"),
    ("Disconnected from game, please reconnect. (Error Code: 277)", "277", "dialog",
     "decompiled"),
    ("Reconnect was unsuccessful. Please try again. (Error Code: 769)", "769", "dialog",
     "connection-lua"),
    ("Error\nWe're sorry, Roblox is temporarily unavailable.  Please try again later.\nLeave",
     "roblox-unavailable", "dialog", "connection-lua"),
    # --- dialog texts without the code (captured tables) ---------------------------------------
    ("The Roblox experience you are trying to join is currently not available.", "103",
     "dialog", "orangeblox"),
    ("Developer has shut down all game servers or game server has shut down for other reasons, "
     "please reconnect.", "256", "dialog", "orangeblox"),
    ("There was a problem receiving data, please reconnect.", "260", "dialog", "orangeblox"),
    ("There was a problem sending data, please reconnect.", "262", "dialog", "orangeblox"),
    ("Same account launched experience from different device. Leave the experience from the "
     "other device and try again.", "264", "dialog", "orangeblox"),
    ("Your connection timed out. Check your internet connection and try again.", "266",
     "dialog", "orangeblox"),
    ("You were kicked from this experience.", "267", "dialog", "orangeblox"),
    ("You have been kicked due to unexpected client behavior.", "268", "dialog", "orangeblox"),
    ("You have been kicked by server, please reconnect.", "271", "dialog", "orangeblox"),
    ("Same account launched experience from different device. Reconnect if you prefer to use "
     "this device.", "273", "dialog", "orangeblox"),
    ("The experience's developer has temporarily shut down the experience server. Please try "
     "again.", "274", "dialog", "orangeblox"),
    ("Roblox has shut down the server for maintenance. Please try again.", "275", "dialog",
     "orangeblox"),
    ("Please check your internet connection and try again.", "277", "dialog", "orangeblox"),
    ("You were disconnected for being idle 20 minutes.", "278", "dialog", "orangeblox"),
    ("Failed to connect to the Game. (ID = 17: Connection attempt failed.)", "279", "dialog",
     "orangeblox"),
    ("Your version of Roblox may be out of date. Please update Roblox and try again.", "280",
     "dialog", "orangeblox"),
    ("A fatal error occurred while running this game.", "284", "dialog", "orangeblox"),
    ("Client/User issued disconnect.", "285", "dialog", "orangeblox"),
    ("Your device does not have enough memory to run this experience. Exit back to the app.",
     "286", "dialog", "orangeblox"),
    ("Player has been removed from the DataModel.", "291", "dialog", "orangeblox"),
    ("Your device's memory is low. Leaving now will preserve your state and prevent Roblox "
     "from crashing.", "292", "dialog", "orangeblox"),
    ("This game is currently unavailable. Please try again later.", "517", "dialog",
     "orangeblox"),
    ("The user you attempted to join has left the game.", "522", "dialog", "orangeblox"),
    ("The status of the experience has changed and you no longer have access. Please try again "
     "later.", "523", "dialog", "orangeblox"),
    ("You do not have permission to join this experience.", "524", "dialog", "orangeblox"),
    ("The server is currently busy. Please try again.", "525", "dialog", "orangeblox"),
    ("Your party is too large to join this experience. Try joining a different experience.",
     "528", "dialog", "orangeblox"),
    ("A Http error has occurred. Please close the client and try again.", "529", "dialog",
     "orangeblox"),
    ("Your privacy settings prevent you from joining this server.", "533", "dialog",
     "orangeblox"),
    ("You were banned from this experience by the creator.", "600", "dialog", "orangeblox"),
    ("Unable to join game instance.", "610", "dialog", "orangeblox"),
    ("Game's root place is not active.", "770", "dialog", "orangeblox"),
    ("Disconnected due to a bad hash", "257", "dialog", "dissector"),
    ("Disconnected due to authentication failure. Please upgrade to the latest version of "
     "Roblox and reconnect", "257", "dialog", "decompiled"),
    ("Protocol mismatch, please reconnect", "259", "dialog", "dissector"),
    ("Error while streaming data, please reconnect", "261", "dialog", "dissector"),
    ("Error while sending data, please reconnect", "262", "dialog", "decompiled"),
    ("Place ID verification failed", "263", "dialog", "dissector"),
    ("Invalid teleport destination", "263", "dialog", "decompiled"),
    ("You are already joined to a game. Please shutdown other game and try again", "264",
     "dialog", "dissector"),
    ("Error processing ticket, please reconnect", "265", "dialog", "dissector"),
    ("Lost connection to server due to timeout", "266", "dialog", "dissector"),
    ("You have been kicked from the game", "267", "dialog", "dissector"),
    ("Kicked by server. Please close and rejoin another game", "268", "dialog", "dissector"),
    ("Disconnected due to timeout, pleas reconnect", "269", "dialog", "dissector"),
    ("You have been disconnected from Team Create, please reconnect", "270", "dialog",
     "dissector"),
    ("Server was shutdown due to no active players", "271", "dialog", "dissector"),
    ("Disconnected due to Security Key Mismatch (15)", "272", "dialog", "dissector"),
    ("Disconnected from game, possibly due to game joined from another device", "273",
     "dialog", "dissector"),
    ("Developer has shut down this game server for maintenance", "274", "dialog",
     "decompiled"),
    ("Roblox has shut down this game server for maintenance", "275", "dialog", "decompiled"),
    ("This game has been disconnected because you have joined a game from another device",
     "276", "dialog", "decompiled"),
    ("The server has shut down", "288", "dialog", "gamerurge-288"),
    ("An error was encountered during authentication. Please try again.", "403-sign-in",
     "dialog", "noping-403"),
    ("Authentication Failed: HTTP 403", "403-sign-in", "dialog", "uma-403"),
    # --- shared wordings: the result must say so ------------------------------------------
    ("Error while receiving data, please reconnect", ("260", "261"), "ambiguous",
     "dissector"),
    ("Disconnected from game, please reconnect.", ("277", "279", "282"), "ambiguous",
     "decompiled"),
    ("Disconnected due to unsupported version. Please upgrade to the latest version of Roblox",
     ("258", "272"), "ambiguous", "decompiled"),
    ("same account launched experience from different device", ("264", "273"), "ambiguous",
     "orangeblox"),
    ("This server has shut down", ("288", "287"), "ambiguous", "connection-lua"),
    # --- parts of messages and descriptions ---------------------------------------------------
    ("failed to connect to the experience. No response from server", "279", "partial",
     "zapret-10561"),
    ("ошибка 279 failed to connect to the experience. No response from server", "279",
     "partial", "zapret-14000"),
    ("kicked for being idle", "278", "partial", "orangeblox"),
    ("disconnected for being afk 20 minutes", "278", "partial", "orangeblox"),
    ("not enough memory to run this experience", "286", "partial", "orangeblox"),
    ("memory is low leaving now will preserve your state", "292", "partial", "orangeblox"),
    ("the user you attempted to join has left", "522", "partial", "orangeblox"),
    ("banned from this experience by the creator", "600", "partial", "orangeblox"),
    ("unexpected client behavior", "268", "partial", "orangeblox"),
    ("lost connection due to an error", "272", "partial", "roshade-31"),
    ("error processing ticket", "265", "partial", "dissector"),
    ("disconnected from team create", "270", "partial", "dissector"),
    ("server shut down because there were no active players", "271", "partial", "dissector"),
    ("all players got 277 when the server crashed", "277", "partial", "devforum-703469"),
    ("teleport failed server is full", "772", "partial", "facts"),
    ("attempted to teleport to a place that is restricted", "773", "partial", "facts"),
    ("an error was experienced during authentication", "403-sign-in", "partial", "facts"),
    ("roblox is temporarily unavailable", "roblox-unavailable", "partial", "connection-lua"),
    ("reconnect was unsuccessful", "769", "partial", "connection-lua"),
    # --- engine names, as scripts and logs print them ---------------------------------------
    ("Enum.ConnectionError.DisconnectLuaKick", "267", "engine", "enum"),
    ("Enum.ConnectionError.ConnectionBanned", "5", "engine", "enum"),
    ("ConnectionError.IPRecentlyConnected", "8", "engine", "enum"),
    ("IncompatibleProtocolVersion", "7", "engine", "enum"),
    ("NoFreeIncomingConnections", "4", "engine", "enum"),
    ("PlacelaunchHashExpired", "526", "engine", "enum"),
    ("TeleportFlooded", "774", "engine", "enum"),
    ("DisconnectRemoteAttestationTimeout", "319", "engine", "enum"),
    ("PlacelaunchVipOwnerNotPresent", "541", "engine", "enum"),
    ("PlacelaunchDeviceBlock", "601", "engine", "enum"),
    ("DisconnectCollaboratorRequestedEviction", "315", "engine", "enum"),
    ("PhantomFreeze", "303", "engine", "enum"),
    ("error code 5 ConnectionBanned", "5", "engine", "enum"),
    # --- topics from the newest engine's names --------------------------------------------------
    ("age verification required to join", "542", "topic", "enum"),
    ("parental approval required", "543", "topic", "enum"),
    ("vip server owner is not in the server", "541", "topic", "enum"),
    ("remote attestation failed", "318", "topic", "enum"),
    ("operating system out of date remote attestation", "320", "topic", "enum"),
    ("android emulator kicked", "305", "topic", "enum"),
    ("rooted android phone kicked", "306", "topic", "enum"),
    ("screen time limit reached", "307", "topic", "enum"),
    ("collaborator permission revoked", "294", "topic", "enum"),
    ("too many collaborators", "313", "topic", "enum"),
    # --- typos, some as players wrote them --------------------------------------------------
    ("error code 403 (an error was ancountered doring authentication. please try again)",
     "403-sign-in", "typo", "bloxstrap-4226"),
    ("faild to conect to the experiance no responce from server", "279", "typo",
     "translation: orangeblox"),
    ("you were kiked from this experiance", "267", "typo", "orangeblox"),
    ("dissconnected for beeing idle", "278", "typo", "orangeblox"),
    ("your conection timed out", "266", "typo", "orangeblox"),
    ("teleport faild: server is ful", "772", "typo", "facts"),
    ("privasy settings prevent you from joining", "533", "typo", "orangeblox"),
    ("a http eror has ocurred", "529", "typo", "orangeblox"),
    ("unexpected clent behaviour", "268", "typo", "orangeblox"),
    ("the server is currently bussy", "525", "typo", "orangeblox"),
    # --- Spanish ------------------------------------------------------------------------------
    ("Fuiste expulsado de esta experiencia (Código de error: 267)", "267", "es",
     "translation: orangeblox"),
    ("me expulsaron de la experiencia", "267", "es", "translation: orangeblox"),
    ("No se pudo conectar a la experiencia. No hay respuesta del servidor.", "279", "es",
     "translation: zapret-10561"),
    ("Revisa tu conexión a internet e inténtalo de nuevo", "277", "es",
     "translation: orangeblox"),
    ("Se agotó el tiempo de espera de tu conexión", "266", "es", "translation: orangeblox"),
    ("Te desconectaste por estar inactivo 20 minutos", "278", "es",
     "translation: orangeblox"),
    ("Tu versión de Roblox podría estar desactualizada", "280", "es",
     "translation: orangeblox"),
    ("Error de teletransporte: el servidor está lleno", "772", "es", "translation: facts"),
    ("Estamos teniendo dificultades técnicas. Inténtalo de nuevo más tarde.", "529", "es",
     "translation: facts"),
    ("Tu configuración de privacidad no te permite unirte a este servidor", "533", "es",
     "translation: orangeblox"),
    ("El creador te prohibió la entrada a esta experiencia", "600", "es",
     "translation: orangeblox"),
    ("No tienes permiso para unirte a esta experiencia", "524", "es",
     "translation: orangeblox"),
    ("La misma cuenta inició la experiencia desde otro dispositivo", ("264", "273"),
     "ambiguous", "translation: orangeblox"),
    ("Roblox cerró el servidor por mantenimiento", "275", "es", "translation: orangeblox"),
    ("la memoria de tu dispositivo es baja", "292", "es", "translation: orangeblox"),
    ("error 504 tiempo de espera excesivo en la puerta de enlace", "504", "es",
     "elheraldo-504"),
    ("mi calcomanía sigue pendiente de moderación", "decal-pending", "es",
     "translation: article"),
    ("mi calcomanía se ve borrosa", "decal-blurry", "es", "translation: article"),
    # --- Portuguese ---------------------------------------------------------------------------
    ("Você foi expulso desta experiência (Código de erro: 267)", "267", "pt",
     "translation: orangeblox"),
    ("Falha ao conectar à experiência. Sem resposta do servidor.", "279", "pt",
     "translation: zapret-10561"),
    ("Verifique sua conexão com a internet e tente novamente", "277", "pt",
     "translation: orangeblox"),
    ("Sua conexão expirou", "266", "pt", "translation: orangeblox"),
    ("Você foi desconectado por ficar inativo por 20 minutos", "278", "pt",
     "translation: orangeblox"),
    ("Sua versão do Roblox pode estar desatualizada", "280", "pt", "translation: orangeblox"),
    ("Falha no teletransporte: o servidor está cheio", "772", "pt", "translation: facts"),
    ("Estamos enfrentando dificuldades técnicas. Tente novamente mais tarde.", "529", "pt",
     "translation: facts"),
    ("Ocorreu um erro de HTTP. Feche o cliente e tente novamente.", "529", "pt",
     "translation: orangeblox"),
    ("Suas configurações de privacidade impedem que você entre neste servidor", "533", "pt",
     "translation: orangeblox"),
    ("Você foi banido desta experiência pelo criador", "600", "pt", "translation: orangeblox"),
    ("O servidor está ocupado no momento", "525", "pt", "translation: orangeblox"),
    ("o usuário que você tentou seguir saiu do jogo", "522", "pt", "translation: orangeblox"),
    ("erro 400 solicitação indevida", "400", "pt", "techtudo-400"),
    ("meu decal foi rejeitado pela moderação", "decal-rejected", "pt", "translation: article"),
    ("erro de autenticação 403 ao entrar", "403-sign-in", "pt", "translation: noping-403"),
    # --- French, German, Indonesian, Turkish (keywords per language) ------------------------
    ("Vous avez été expulsé de cette expérience", "267", "fr", "translation: orangeblox"),
    ("Échec de la connexion à l'expérience. Aucune réponse du serveur.", "279", "fr",
     "translation: zapret-10561"),
    ("Échec de la téléportation : le serveur est plein", "772", "fr", "translation: facts"),
    ("Du wurdest aus diesem Erlebnis gekickt", "267", "de", "translation: orangeblox"),
    ("Verbindung zum Erlebnis fehlgeschlagen. Keine Antwort vom Server.", "279", "de",
     "translation: zapret-10561"),
    ("Teleport fehlgeschlagen: Server ist voll", "772", "de", "translation: facts"),
    ("Kamu dikeluarkan dari pengalaman ini", "267", "id", "translation: orangeblox"),
    ("Gagal terhubung ke pengalaman. Tidak ada respons dari server.", "279", "id",
     "translation: zapret-10561"),
    ("Bu deneyimden atıldınız", "267", "tr", "translation: orangeblox"),
    ("Deneyime bağlanılamadı. Sunucudan yanıt yok.", "279", "tr",
     "translation: zapret-10561"),
    # --- web and Open Cloud -----------------------------------------------------------------
    ('{"code": "PERMISSION_DENIED", "message": "Your request doesn\'t have sufficient '
     'permissions"}', "403", "web", "cloud-errors"),
    ('{"error": "INSUFFICIENT_SCOPE", "message": "The request requires higher privileges"}',
     "403", "web", "cloud-errors"),
    ('{"code": "INVALID_ARGUMENT", "message": "The provided filter is invalid."}', "400", "web",
     "cloud-errors"),
    ("RESOURCE_EXHAUSTED too many requests", "429", "web", "cloud-errors"),
    ("NOT_FOUND the system can't find your specified resources", "404", "web",
     "cloud-errors"),
    ("ABORTED publishing a place that is not part of the universe", "409", "web",
     "cloud-errors"),
    ("CANCELLED client side timeout", "499", "web", "cloud-errors"),
    ("NOT_IMPLEMENTED", "501", "web", "cloud-errors"),
    ("HTTP 403 Forbidden open cloud api key", "403", "web", "cloud-errors"),
    ("502 Bad Gateway", "502", "web", "accio-502"),
    # --- decal topics -----------------------------------------------------------------------
    ("decal looks blurry in every game", "decal-blurry", "decal", "article"),
    ("decal still pending after a day", "decal-pending", "decal", "article"),
    ("my decal was rejected for breaking community standards", "decal-rejected", "decal",
     "article"),
    ("image bigger than 1024x1024 got scaled down", "image-too-large", "decal", "article"),
    ("can I upload 4096x4096 textures", "image-too-large", "decal", "article"),
    ("decal id does not work in Decal.Texture", "decal-vs-image-id", "decal", "article"),
]

#: Written after the search was tuned (see the README's measured figures): never tuned on.
AFTER_TUNING: list[Query] = []

#: Texts that name no error: they must give no match, with suggestions and the status hint.
NO_MATCH: list[str] = [
    "hello world", "asdfghjkl", "pizza recipe", "what is the best sword", "how to make a game",
    "rbxassetid://2676631400", "brb dinner", "lol same",
]
