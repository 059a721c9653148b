package io.cloudops.api.problem;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Catches every {@code /api/...} path that no resource serves, so that unknown routes answer with
 * a 404 problem document like every other API error instead of the framework's HTML page. Real
 * resources always win: their paths have more literal characters.
 */
@Path("/api")
@PermitAll
public class UnknownApiRouteResource {

    @Path("{any: .*}")
    @GET
    @Operation(hidden = true)
    public void unknownGet() {
        throw new NotFoundException();
    }

    @Path("{any: .*}")
    @POST
    @Operation(hidden = true)
    public void unknownPost() {
        throw new NotFoundException();
    }

    @Path("{any: .*}")
    @PUT
    @Operation(hidden = true)
    public void unknownPut() {
        throw new NotFoundException();
    }

    @Path("{any: .*}")
    @DELETE
    @Operation(hidden = true)
    public void unknownDelete() {
        throw new NotFoundException();
    }

    @Path("{any: .*}")
    @PATCH
    @Operation(hidden = true)
    public void unknownPatch() {
        throw new NotFoundException();
    }
}
